import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService, csrfTokenFor, SessionService } from '#libs/auth';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import type { GraphqlResponse } from './graphql-client.js';

/** The roles of issue 8, as the people (or credentials) who hold them in this test. */
const ROLES = ['anonymous', 'member', 'otherMember', 'judge', 'otherJudge', 'organizer', 'otherOrganizer', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Outcome = 'allowed' | 'UNAUTHENTICATED' | 'FORBIDDEN';

/** Signed-in people, by role; `admin` is an admin API token and `anonymous` sends nothing. */
const LOGINS: Record<Exclude<Role, 'anonymous' | 'admin'>, string> = {
  member: 'ana',
  otherMember: 'bob',
  judge: 'jay',
  otherJudge: 'kim',
  organizer: 'ola',
  otherOrganizer: 'oli',
};

describe('roles: each role against each kind of operation (allowed and refused)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let url: string;
  let adminToken: string;
  const people: Record<string, CreatedMember> = {};
  const sessions: Partial<Record<Role, { secret: string; csrf: string }>> = {};
  let hackathonId: string;
  let judgingSlug: string;
  let teamId: string;
  let submissions: Record<string, string>;
  let criterionId: string;

  /** POSTs an operation as `role` (a session cookie with its CSRF token, the admin token, or nothing). */
  async function as<Data = any>(role: Role, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<Data>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (role === 'admin') headers.authorization = `Bearer ${adminToken}`;
    const session = sessions[role];
    if (session) {
      headers.cookie = `cambrian_session=${encodeURIComponent(session.secret)}`;
      headers['x-csrf-token'] = session.csrf;
    }
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: response.status, ...((await response.json()) as Omit<GraphqlResponse<Data>, 'status'>) };
  }

  /** allowed, or the code of the access refusal (other errors, e.g. CONFLICT from the domain, count as allowed). */
  function outcome(response: GraphqlResponse): Outcome {
    const refusal = response.errors?.find((e) => e.extensions?.code === 'UNAUTHENTICATED' || e.extensions?.code === 'FORBIDDEN');
    return refusal ? (refusal.extensions!.code as Outcome) : 'allowed';
  }

  async function outcomes(query: string, variables: (role: Role) => Record<string, unknown>): Promise<Record<Role, Outcome>> {
    const result = {} as Record<Role, Outcome>;
    for (const role of ROLES) result[role] = outcome(await as(role, query, variables(role)));
    return result;
  }

  /** The expected outcome per role: listed roles are allowed, the public UNAUTHENTICATED, everyone else FORBIDDEN. */
  function only(...allowed: Role[]): Record<Role, Outcome> {
    return Object.fromEntries(
      ROLES.map((role) => [role, allowed.includes(role) ? 'allowed' : role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']),
    ) as Record<Role, Outcome>;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
    const config = app.get<CambrianConfig>(CAMBRIAN_CONFIG, { strict: false });
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    const otherEcosystemId = await createEcosystem(db, { slug: 'other' });
    for (const login of ['ana', 'bob', 'jay', 'kim', 'ola', 'oli', 'eve']) {
      people[login] = await createMember(db, { login, email: `${login}@private.example` });
    }
    for (const [role, login] of Object.entries(LOGINS) as Array<[Role, string]>) {
      const { secret } = await app.get(SessionService, { strict: false }).create({
        memberId: people[login].memberId,
        githubAccountId: people[login].githubAccountId!,
        githubLogin: login,
        role: 'member',
        ttlSeconds: 3600,
      });
      sessions[role] = { secret, csrf: csrfTokenFor(secret, config.AUTH_SECRET) };
    }
    const insertHackathon = async (ecosystem: number, slug: string, status: string) =>
      (
        await db.query(
          `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
           VALUES ($1, $2, $2, $3, '2026-03-01T00:00:00Z', '2026-03-03T00:00:00Z') RETURNING id`,
          [ecosystem, slug, status],
        )
      ).rows[0].id as string;
    // the running hackathon: ana and eve registered, ana in team Alpha
    hackathonId = await insertHackathon(ecosystemId, 'spring', 'running');
    for (const login of ['ana', 'eve']) {
      await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id, skills) VALUES ($1, $2, '{rust}')`, [
        hackathonId,
        people[login].memberId,
      ]);
    }
    teamId = (
      await db.query(`INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, 'Alpha', 'alpha-code-0001', $2) RETURNING id`, [
        hackathonId,
        people.ana.memberId,
      ])
    ).rows[0].id;
    await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [
      teamId,
      hackathonId,
      people.ana.memberId,
    ]);
    // oli organises a hackathon of another ecosystem
    const otherHackathonId = await insertHackathon(otherEcosystemId, 'autumn', 'running');
    // the judged hackathon: teams Red (bob) and Blue (eve), jay and kim judge both
    judgingSlug = 'summer';
    const judgingId = await insertHackathon(ecosystemId, judgingSlug, 'judging');
    submissions = {};
    for (const [team, login] of [
      ['Red', 'bob'],
      ['Blue', 'eve'],
    ]) {
      const t = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, $2, $3) RETURNING id`, [judgingId, team, `${team}-code-0001`]);
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [t.rows[0].id, judgingId, people[login].memberId]);
      submissions[team] = (await db.query(`INSERT INTO submission (hackathon_id, team_id, title) VALUES ($1, $2, $3) RETURNING id`, [judgingId, t.rows[0].id, team])).rows[0].id;
    }
    criterionId = (
      await db.query(`INSERT INTO judging_criterion (hackathon_id, name, weight, scale_min, scale_max) VALUES ($1, 'Impact', 1, 0, 10) RETURNING id`, [judgingId])
    ).rows[0].id;
    for (const login of ['jay', 'kim']) {
      const judge = await db.query(`INSERT INTO judge (hackathon_id, member_id) VALUES ($1, $2) RETURNING id`, [judgingId, people[login].memberId]);
      for (const submission of Object.values(submissions)) {
        await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [judge.rows[0].id, submission]);
      }
      await db.query(`INSERT INTO judge_score (judge_id, submission_id, criterion_id, value, comment) VALUES ($1, $2, $3, 5, $4)`, [
        judge.rows[0].id,
        submissions.Red,
        criterionId,
        `${login}'s note`,
      ]);
    }
    // grants, through GraphQL as an admin
    const grant = `mutation($m: String!, $e: String, $h: String) { grantOrganizer(member: $m, ecosystem: $e, hackathon: $h) { id hackathonSlug ecosystemSlug } }`;
    for (const [login, h] of [
      ['ola', hackathonId],
      ['ola', judgingId],
      ['oli', otherHackathonId],
    ]) {
      const response = await as('admin', grant, { m: login, h });
      expect(response.errors).toBeUndefined();
    }
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('shows each viewer their roles and grants', async () => {
    const query = `{ viewer { kind roles grants { hackathonSlug } judgedHackathonIds } }`;
    const roles = {} as Record<Role, string[]>;
    for (const role of ROLES) roles[role] = (await as(role, query)).data.viewer.roles;
    expect(roles).toEqual({
      anonymous: [],
      member: ['MEMBER'],
      otherMember: ['MEMBER'],
      judge: ['JUDGE', 'MEMBER'],
      otherJudge: ['JUDGE', 'MEMBER'],
      organizer: ['ORGANIZER', 'MEMBER'],
      otherOrganizer: ['ORGANIZER', 'MEMBER'],
      admin: ['ADMIN'],
    });
    const organizer = (await as('organizer', query)).data.viewer;
    expect(organizer.grants.map((g: { hackathonSlug: string }) => g.hackathonSlug).sort()).toEqual(['spring', 'summer']);
    expect((await as('judge', query)).data.viewer.judgedHackathonIds).toHaveLength(1);
  });

  it('public reads: everyone', async () => {
    expect(await outcomes(`query($s: String!) { hackathon(slug: $s) { name teams { name } } }`, () => ({ s: 'spring' }))).toEqual(
      only(...ROLES),
    );
  });

  it('ecosystem administration: admins only', async () => {
    const result = await outcomes(`mutation($s: String!) { createEcosystem(slug: $s, name: $s) { slug } }`, (role) => ({ s: `eco-${role.toLowerCase()}` }));
    expect(result).toEqual(only('admin'));
    const grants = await outcomes(`mutation { grantOrganizer(member: "eve", hackathon: "autumn") { id } }`, () => ({}));
    expect(grants).toEqual(only('admin'));
  });

  it('managing a hackathon: admins and its organisers, not an organiser of another one', async () => {
    const result = await outcomes(`mutation($id: ID!, $d: String) { updateHackathon(id: $id, description: $d) { description } }`, (role) => ({
      id: hackathonId,
      d: `edited by ${role}`,
    }));
    expect(result).toEqual(only('organizer', 'admin'));
  });

  it('a member action: the member themself, organisers and admins; never for someone else', async () => {
    const result = await outcomes(`mutation($h: ID!, $m: String!) { updateHackathonRegistration(hackathonId: $h, member: $m, skills: ["go"]) { skills } }`, () => ({
      h: hackathonId,
      m: 'ana',
    }));
    expect(result).toEqual(only('member', 'organizer', 'admin'));
    const refused = await as('otherMember', `mutation($h: ID!) { withdrawFromHackathon(hackathonId: $h, member: "ana") { withdrawnAt } }`, { h: hackathonId });
    expect(refused.errors?.[0]).toMatchObject({
      message: 'withdrawFromHackathon needs an organiser of the hackathon or the member themself (or an admin); the signed-in member @bob is not',
      extensions: { code: 'FORBIDDEN' },
    });
    const anonymous = await as('anonymous', `mutation($h: ID!) { withdrawFromHackathon(hackathonId: $h, member: "ana") { withdrawnAt } }`, { h: hackathonId });
    expect(anonymous.errors?.[0].message).toMatch(/^withdrawFromHackathon needs .*: sign in through GitHub at \/auth\/github/);
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("a team's submission: its members (acting as themselves), organisers and admins", async () => {
    const result = await outcomes(`mutation($t: ID!, $a: String) { saveSubmission(teamId: $t, title: "Alpha", actingMember: $a) { title } }`, (role) => ({
      t: teamId,
      a: role in LOGINS ? LOGINS[role as keyof typeof LOGINS] : null,
    }));
    expect(result).toEqual(only('member', 'organizer', 'admin'));
  });

  it('personal fields of a registration: the member themself, organisers and admins', async () => {
    const query = `query($s: String!) { hackathon(slug: $s) { registrations { member { login } skills } } }`;
    /** Indexes of the registrations whose skills were refused (ana's is first, eve's second). */
    const refusedFor = async (role: Role) => {
      const response = await as(role, query, { s: 'spring' });
      expect(response.errors?.every((e) => e.extensions?.code === 'FORBIDDEN' && /^HackathonRegistration\.skills needs /.test(e.message)) ?? true).toBe(true);
      return (response.errors ?? []).map((e) => e.path?.[2]).sort();
    };
    expect(await refusedFor('admin')).toEqual([]);
    expect(await refusedFor('organizer')).toEqual([]);
    expect(await refusedFor('member')).toEqual([1]);
    // a refused non-null field nulls its registration, and so the list: graphql-js reports the first refusal it meets
    for (const role of ['otherMember', 'otherOrganizer', 'judge'] as const) expect((await refusedFor(role)).length).toBeGreaterThan(0);
  });

  it("a team's invite code: hidden (null) from everyone but its members, organisers and admins", async () => {
    const codes = {} as Record<Role, string | null>;
    for (const role of ROLES) codes[role] = (await as(role, `query($t: ID!) { team(id: $t) { inviteCode } }`, { t: teamId })).data.team.inviteCode;
    expect(Object.entries(codes).filter(([, code]) => code !== null).map(([role]) => role)).toEqual(['member', 'organizer', 'admin']);
  });

  it('scoring: only the judge themself (and admins); not another judge in their name, not an organiser', async () => {
    const result = await outcomes(
      `mutation($h: String!, $s: ID!, $c: ID!) { scoreSubmission(hackathon: $h, judge: "jay", submission: $s, criterion: $c, value: 7) { value } }`,
      () => ({ h: judgingSlug, s: submissions.Blue, c: criterionId }),
    );
    expect(result).toEqual(only('judge', 'admin'));
  });

  it("judges read only their own scores; asking for another judge's is refused", async () => {
    const query = `query($h: String!, $j: ID) { hackathon(slug: $h) { judgeScores(judge: $j) { member { login } comment } } }`;
    const seen = async (role: Role) =>
      ((await as(role, query, { h: judgingSlug })).data?.hackathon?.judgeScores ?? null)?.map((s: { member: { login: string } }) => s.member.login).sort();
    expect(await seen('judge')).toEqual(['jay', 'jay']);
    expect(await seen('otherJudge')).toEqual(['kim']);
    expect(await seen('organizer')).toEqual(['jay', 'jay', 'kim']);
    expect(await seen('admin')).toEqual(['jay', 'jay', 'kim']);
    const result = await outcomes(query, () => ({ h: judgingSlug }));
    expect(result).toEqual(only('judge', 'otherJudge', 'organizer', 'admin'));
    const other = await as('judge', query, { h: judgingSlug, j: 'kim' });
    expect(other.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(other.errors?.[0].message).toMatch(/only their own/);
    const results = await outcomes(`query($h: String!) { hackathon(slug: $h) { judgingResults { normalized } } }`, () => ({ h: judgingSlug }));
    expect(results).toEqual(only('organizer', 'admin'));
  });

  it('a judge does not see a submission they now have a conflict of interest with', async () => {
    const query = `query($h: String!) { hackathon(slug: $h) { judgeAssignments { submissionId } } }`;
    const assigned = async (role: Role) =>
      ((await as(role, query, { h: judgingSlug })).data.hackathon.judgeAssignments as Array<{ submissionId: string }>).map((a) => a.submissionId).sort();
    expect(await assigned('judge')).toEqual([submissions.Red, submissions.Blue].sort());
    // jay joins eve's organisation after the assignment: Blue is now a conflict for jay (not for kim)
    const org = (await db.query(`INSERT INTO organization (name) VALUES ('EveCo') RETURNING id`)).rows[0].id;
    for (const login of ['jay', 'eve']) {
      await db.query(`INSERT INTO affiliation (member_id, organization_id, source, starts_at) VALUES ($1, $2, 'manual', '2020-01-01T00:00:00Z')`, [
        people[login].memberId,
        org,
      ]);
    }
    expect(await assigned('judge')).toEqual([submissions.Red]);
    expect(await assigned('otherJudge')).toEqual([submissions.Red, submissions.Blue].sort());
    expect((await assigned('organizer')).length).toBe(4);
  });

  it("submissions through Hackathon.submissions and Team.submission: before the results, only the team's members, organisers, admins and the judges assigned to them without a conflict; everyone once FINISHED", async () => {
    const query = `query($h: String!) { hackathon(slug: $h) { submissions { id title } teams { name submission { id } } } }`;
    const seen = async (role: Role) => {
      const response = await as(role, query, { h: judgingSlug });
      expect(response.errors).toBeUndefined();
      const listed = (response.data.hackathon.submissions as Array<{ id: string }>).map((s) => s.id).sort();
      const viaTeams = (response.data.hackathon.teams as Array<{ submission: { id: string } | null }>).flatMap((t) => (t.submission ? [t.submission.id] : [])).sort();
      expect(viaTeams).toEqual(listed);
      return listed;
    };
    const both = [submissions.Red, submissions.Blue].sort();
    // judging: jay and kim are assigned both; jay has a conflict with Blue (previous test), so reads only Red
    expect(await seen('anonymous')).toEqual([]);
    expect(await seen('judge')).toEqual([submissions.Red]);
    expect(await seen('otherJudge')).toEqual(both);
    expect(await seen('member')).toEqual([]);
    expect(await seen('otherMember')).toEqual([submissions.Red]);
    expect(await seen('otherOrganizer')).toEqual([]);
    expect(await seen('organizer')).toEqual(both);
    expect(await seen('admin')).toEqual(both);
    // results published: the hackathon is finished, and everyone sees every submission
    await db.query(`UPDATE hackathon SET status = 'finished' WHERE slug = $1`, [judgingSlug]);
    try {
      for (const role of ROLES) expect(await seen(role)).toEqual(both);
    } finally {
      await db.query(`UPDATE hackathon SET status = 'judging' WHERE slug = $1`, [judgingSlug]);
    }
  });

  it('a judge reads a submission only while assigned to it: not one of the hackathon they are not assigned', async () => {
    const query = `query($h: String!) { hackathon(slug: $h) { submissions { id title description } } }`;
    const kim = (await db.query(`SELECT j.id FROM judge j JOIN hackathon h ON h.id = j.hackathon_id WHERE h.slug = $1 AND j.member_id = $2`, [judgingSlug, people.kim.memberId])).rows[0].id;
    const seen = async () => ((await as('otherJudge', query, { h: judgingSlug })).data.hackathon.submissions as Array<{ id: string; title: string }>).map((s) => s.title).sort();
    expect(await seen()).toEqual(['Blue', 'Red']);
    await db.query(`DELETE FROM judge_assignment WHERE judge_id = $1 AND submission_id = $2`, [kim, submissions.Blue]);
    try {
      expect(await seen()).toEqual(['Red']); // still a judge of the hackathon, no longer assigned Blue
    } finally {
      await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [kim, submissions.Blue]);
    }
  });

  it("e-mail preferences: the member themself and admins; an organiser is not enough", async () => {
    const result = await outcomes(`query($m: ID!) { memberEmailPreferences(memberId: $m) { email } }`, () => ({ m: people.ana.memberId }));
    expect(result).toEqual(only('member', 'admin'));
    const set = await outcomes(
      `mutation($m: ID!) { setMemberEmailPreferences(memberId: $m, input: { email: "ana@private.example", digestOptIn: true }) { digestOptIn } }`,
      () => ({ m: people.ana.memberId }),
    );
    expect(set).toEqual(only('member', 'admin'));
  });

  it('the digest ledger and the list of unsubscribed members: admins only (a member is refused even their own rows)', async () => {
    expect(await outcomes(`{ digestSends(first: 5) { edges { node { week member { login } } } } }`, () => ({}))).toEqual(only('admin'));
    expect(await outcomes(`{ digestUnsubscribes(first: 5) { totalCount edges { node { email member { login } } } } }`, () => ({}))).toEqual(only('admin'));
  });

  it('a revoked grant stops working at once', async () => {
    const grants = await as('admin', `{ accessGrants(member: "oli") { id } }`);
    const [grant] = grants.data.accessGrants;
    const revoked = await as('admin', `mutation($id: ID!) { revokeAccessGrant(id: $id) { revokedAt revokedBy } }`, { id: grant.id });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeAccessGrant.revokedBy).toMatch(/^api-token:/);
    expect((await as('otherOrganizer', `{ viewer { roles } }`)).data.viewer.roles).toEqual(['MEMBER']);
    const again = await as('admin', `mutation($id: ID!) { revokeAccessGrant(id: $id) { id } }`, { id: grant.id });
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});
