import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, type CreatedMember } from '../helpers/factories.js';
import { openMemberSession, type SessionCredentials } from '../helpers/member-session.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient, type GraphqlResponse } from './graphql-client.js';

const SCORE = `mutation($h: String!, $j: ID!, $s: ID!, $c: ID!, $v: Float!) {
  scoreSubmission(hackathon: $h, judge: $j, submission: $s, criterion: $c, value: $v) { value }
}`;

/** A judge against the rules, through Viewer.judgedHackathons and scoreSubmission (what the console's Judging page uses). */
describe('a judge through Viewer.judgedHackathons and scoreSubmission, hostile', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let adminToken: string;
  const people: Record<string, CreatedMember> = {};
  const sessions: Record<string, SessionCredentials> = {};
  const ids: Record<string, string> = {};

  /** POSTs an operation as `who`: the admin token, a member's session, or nobody. */
  function as<Data = any>(who: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<Data>> {
    return client.request<Data>(query, variables, who === 'admin' ? { token: adminToken } : { session: sessions[who] });
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'judging hostile', role: 'admin' })).secret;
    const eco = await createEcosystem(db, { slug: 'rwkv' });
    for (const login of ['jay', 'kim', 'ana', 'bob']) {
      people[login] = await createMember(db, { login });
      sessions[login] = await openMemberSession(app, people[login], login);
    }
    const one = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0]?.id as string;
    const hackathon = (slug: string, status: string, startsAt: string) =>
      one(
        `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
         VALUES ($1, $2, initcap($2), $3, $4::timestamptz, $4::timestamptz + interval '2 days') RETURNING id`,
        [eco, slug, status, startsAt],
      );
    const teamWithSubmission = async (hackathonId: string, name: string, login: string, title: string) => {
      await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id) VALUES ($1, $2)`, [hackathonId, people[login].memberId]);
      const team = await one(`INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
        hackathonId,
        name,
        `${name.toLowerCase()}-code-0001`,
        people[login].memberId,
      ]);
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [team, hackathonId, people[login].memberId]);
      return one(`INSERT INTO submission (hackathon_id, team_id, title, repository_url) VALUES ($1, $2, $3, 'https://github.com/rwkv/x') RETURNING id`, [
        hackathonId,
        team,
        title,
      ]);
    };
    const judge = (hackathonId: string, login: string) => one(`INSERT INTO judge (hackathon_id, member_id) VALUES ($1, $2) RETURNING id`, [hackathonId, people[login].memberId]);

    ids.winter = await hackathon('winter', 'judging', '2026-04-01T00:00:00Z');
    ids.mine = await teamWithSubmission(ids.winter, 'Alpha', 'ana', 'Assigned To Jay');
    ids.theirs = await teamWithSubmission(ids.winter, 'Beta', 'bob', 'Assigned To Kim');
    ids.criterion = await one(`INSERT INTO judging_criterion (hackathon_id, name, weight, scale_min, scale_max) VALUES ($1, 'Impact', 1, 0, 10) RETURNING id`, [ids.winter]);
    const jayJudge = await judge(ids.winter, 'jay');
    const kimJudge = await judge(ids.winter, 'kim');
    await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [jayJudge, ids.mine]);
    await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [kimJudge, ids.theirs]);
    await db.query(`INSERT INTO judge_score (judge_id, submission_id, criterion_id, value, comment) VALUES ($1, $2, $3, 7, 'kim private note')`, [
      kimJudge,
      ids.theirs,
      ids.criterion,
    ]);
    // a draft where jay already judges, and a running one
    ids.secret = await hackathon('secret', 'draft', '2026-09-01T00:00:00Z');
    await judge(ids.secret, 'jay');
    ids.spring = await hackathon('spring', 'running', '2026-05-01T00:00:00Z');
    ids.springSubmission = await teamWithSubmission(ids.spring, 'Gamma', 'bob', 'Spring Work');
    const springJudge = await judge(ids.spring, 'jay');
    await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [springJudge, ids.springSubmission]);
    ids.springCriterion = await one(`INSERT INTO judging_criterion (hackathon_id, name, weight, scale_min, scale_max) VALUES ($1, 'Impact', 1, 0, 10) RETURNING id`, [ids.spring]);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('lists the judged hackathons without the draft; submissions, assignments and scores only the judge’s own', async () => {
    const response = await as(
      'jay',
      `{ viewer { judgedHackathons { slug submissions { id title } judgeAssignments { submissionId } judgeScores { submissionId comment } judgingCriteria { id } } } }`,
    );
    expect(response.errors).toBeUndefined();
    const slugs = response.data.viewer.judgedHackathons.map((h: { slug: string }) => h.slug);
    expect(slugs).toEqual(['spring', 'winter']);
    const winter = response.data.viewer.judgedHackathons.find((h: { slug: string }) => h.slug === 'winter');
    expect(winter.submissions.map((s: { title: string }) => s.title)).toEqual(['Assigned To Jay']);
    expect(winter.judgeAssignments).toEqual([{ submissionId: ids.mine }]);
    expect(winter.judgeScores).toEqual([]);
    expect(JSON.stringify(response.data)).not.toContain('kim private note');
  });

  it('another judge’s scores are FORBIDDEN, and judgingResults is refused', async () => {
    const other = await as('jay', `{ viewer { judgedHackathons { slug judgeScores(judge: "kim") { comment } } } }`);
    expect(other.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(JSON.stringify(other.data ?? {})).not.toContain('kim private note');
    const results = await as('jay', `{ viewer { judgedHackathons { slug judgingResults { submissions { submissionId } } } } }`);
    expect(results.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
  });

  it('scoring refuses an unassigned submission, another judge, a running hackathon and an out-of-scale value', async () => {
    const unassigned = await as('jay', SCORE, { h: 'winter', j: 'jay', s: ids.theirs, c: ids.criterion, v: 5 });
    expect(unassigned.errors?.[0]?.message).toMatch(/assigned/);
    const asKim = await as('jay', SCORE, { h: 'winter', j: 'kim', s: ids.theirs, c: ids.criterion, v: 1 });
    expect(asKim.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const running = await as('jay', SCORE, { h: 'spring', j: 'jay', s: ids.springSubmission, c: ids.springCriterion, v: 5 });
    expect(running.errors?.[0]?.message).toMatch(/only while the hackathon is judging/);
    const outOfScale = await as('jay', SCORE, { h: 'winter', j: 'jay', s: ids.mine, c: ids.criterion, v: 11 });
    expect(outOfScale.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const crossHackathon = await as('jay', SCORE, { h: 'winter', j: 'jay', s: ids.mine, c: ids.springCriterion, v: 5 });
    expect(crossHackathon.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const ok = await as('jay', SCORE, { h: 'winter', j: 'jay', s: ids.mine, c: ids.criterion, v: 6.5 });
    expect(ok.errors).toBeUndefined();
  });

  it('the draft hackathon stays hidden from its judge by slug too', async () => {
    const response = await as('jay', `{ hackathon(slug: "secret") { slug } }`);
    expect(response.data?.hackathon ?? null).toBeNull();
  });

  /** A draft is unannounced: judging one lists no id and gives no JUDGE role. */
  it('judgedHackathonIds agrees with judgedHackathons: no draft (unannounced) hackathon id', async () => {
    const response = await as('jay', `{ viewer { judgedHackathonIds judgedHackathons { id } } }`);
    expect(response.errors).toBeUndefined();
    expect([...response.data.viewer.judgedHackathonIds].sort()).toEqual(response.data.viewer.judgedHackathons.map((h: { id: string }) => h.id).sort());
    expect(response.data.viewer.judgedHackathonIds).not.toContain(ids.secret);
  });
  /**
   * README, JUDGE row: "read only their own scores and assignments, without submissions they now have a conflict of
   * interest with": once the judge joins the submitting team, judgeScores hides the submission as judgeAssignments and
   * submissions do. Runs after the scoring test above.
   */
  it('hides a now-conflicted submission from the judge’s judgeScores as from judgeAssignments and submissions', async () => {
    const before = await as('jay', `{ viewer { judgedHackathons { slug judgeScores { submissionId } } } }`);
    expect(before.data.viewer.judgedHackathons.find((h: { slug: string }) => h.slug === 'winter').judgeScores).toEqual([{ submissionId: ids.mine }]);
    // jay joins the team that made the submission: a conflict of interest now
    await db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id) VALUES ($1, $2)`, [ids.winter, people.jay.memberId]);
    await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) SELECT team_id, hackathon_id, $2 FROM submission WHERE id = $1`, [ids.mine, people.jay.memberId]);
    const after = await as('jay', `{ viewer { judgedHackathons { slug judgeAssignments { submissionId } judgeScores { submissionId value } } } }`);
    expect(after.errors).toBeUndefined();
    const winter = after.data.viewer.judgedHackathons.find((h: { slug: string }) => h.slug === 'winter');
    expect(winter.judgeAssignments).toEqual([]);
    expect(winter.judgeScores).toEqual([]);
  });
});
