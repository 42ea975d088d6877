import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, type CreatedMember } from '../helpers/factories.js';
import { openMemberSession, type SessionCredentials } from '../helpers/member-session.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient, type GraphqlResponse } from './graphql-client.js';

const HACKATHONS = `query($id: ID!) {
  member(id: $id) {
    login
    hackathons {
      status registeredAt withdrawnAt isCaptain
      hackathon { slug name status ecosystemSlug startsAt endsAt }
      team { name }
      submission { title repositoryUrl }
      result { rank score submissions }
      allocations { resourceName resourceKind units }
    }
  }
}`;

/**
 * `Member.hackathons` over HTTP: ana registered for three hackathons (a finished one with results
 * and an allocation published, a withdrawn one, and one of zed, who was merged into her), bob is in
 * her finished team, eve is unrelated, ola organises one of the hackathons only.
 */
describe('Member.hackathons: the hackathons a member registered for, for the member, organisers and admins', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let adminToken: string;
  const people: Record<string, CreatedMember> = {};
  const sessions: Record<string, SessionCredentials> = {};

  /** POSTs an operation as a signed-in login, as the admin token (`admin`), or anonymously (`anonymous`). */
  /** POSTs an operation as `who`: the admin token, a member's session, or nobody. */
  function as<Data = any>(who: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<Data>> {
    return client.request<Data>(query, variables, who === 'admin' ? { token: adminToken } : { session: sessions[who] });
  }

  const slugsOf = (response: GraphqlResponse) => response.data.member.hackathons.map((entry: { hackathon: { slug: string } }) => entry.hackathon.slug);

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    for (const login of ['ana', 'bob', 'eve', 'ola', 'zed']) people[login] = await createMember(db, { login });
    for (const login of ['ana', 'bob', 'eve', 'ola']) {
      sessions[login] = await openMemberSession(app, people[login], login);
    }
    const one = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0]?.id as string;
    const hackathon = (slug: string, status: string, startsAt: string) =>
      one(
        `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
         VALUES ($1, $2, initcap($2) || ' Jam', $3, $4::timestamptz, $4::timestamptz + interval '2 days') RETURNING id`,
        [ecosystemId, slug, status, startsAt],
      );
    const register = (hackathonId: string, login: string, withdrawn = false) =>
      db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id, withdrawn_at) VALUES ($1, $2, $3)`, [
        hackathonId,
        people[login].memberId,
        withdrawn ? new Date('2026-04-20T10:00:00Z') : null,
      ]);
    const team = async (hackathonId: string, name: string, logins: string[]) => {
      const id = await one(`INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
        hackathonId,
        name,
        `${name.toLowerCase()}-code-0001`,
        people[logins[0]].memberId,
      ]);
      for (const login of logins) await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [id, hackathonId, people[login].memberId]);
      return id;
    };
    const submit = (hackathonId: string, teamId: string, title: string) =>
      one(`INSERT INTO submission (hackathon_id, team_id, title, repository_url) VALUES ($1, $2, $3, $4) RETURNING id`, [
        hackathonId,
        teamId,
        title,
        `https://github.com/rwkv/${title.toLowerCase()}`,
      ]);
    const score = async (hackathonId: string, values: Array<[string, number]>) => {
      const criterion = await one(`INSERT INTO judging_criterion (hackathon_id, name, weight, scale_min, scale_max) VALUES ($1, 'Impact', 1, 0, 10) RETURNING id`, [
        hackathonId,
      ]);
      const judge = await one(`INSERT INTO judge (hackathon_id, member_id) VALUES ($1, $2) RETURNING id`, [hackathonId, people.eve.memberId]);
      for (const [submission, value] of values) {
        await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [judge, submission]);
        await db.query(`INSERT INTO judge_score (judge_id, submission_id, criterion_id, value) VALUES ($1, $2, $3, $4)`, [judge, submission, criterion, value]);
      }
    };

    // summer: finished; ana captains Alpha (with bob), Beta is eve's; results and an allocation published
    const summer = await hackathon('summer', 'finished', '2026-03-01T00:00:00Z');
    for (const login of ['ana', 'bob', 'eve']) await register(summer, login);
    const alpha = await team(summer, 'Alpha', ['ana', 'bob']);
    const beta = await team(summer, 'Beta', ['eve']);
    await score(summer, [
      [await submit(summer, alpha, 'Lantern'), 8],
      [await submit(summer, beta, 'Beacon'), 5],
    ]);
    const gpu = await one(`INSERT INTO resource (hackathon_id, kind, name, capacity, per_team_max) VALUES ($1, 'gpu_hours', 'A100 hours', 10, 5) RETURNING id`, [summer]);
    const run = await one(`INSERT INTO matching_run (hackathon_id, status, published_at) VALUES ($1, 'published', now()) RETURNING id`, [summer]);
    await db.query(`INSERT INTO allocation (run_id, team_id, resource_id, units) VALUES ($1, $2, $3, 4)`, [run, alpha, gpu]);
    // a draft run's allocation is not published: it must not show
    const draft = await one(`INSERT INTO matching_run (hackathon_id, status) VALUES ($1, 'draft') RETURNING id`, [summer]);
    await db.query(`INSERT INTO allocation (run_id, team_id, resource_id, units) VALUES ($1, $2, $3, 1)`, [draft, beta, gpu]);

    // spring: ana registered, then withdrew; ola organises it
    const spring = await hackathon('spring', 'registration_open', '2026-05-01T00:00:00Z');
    await register(spring, 'ana', true);

    // winter: judging, zed captains Zeta with a scored submission (results not published yet); zed is then merged into ana
    const winter = await hackathon('winter', 'judging', '2026-04-01T00:00:00Z');
    await register(winter, 'zed');
    const zeta = await team(winter, 'Zeta', ['zed']);
    await score(winter, [[await submit(winter, zeta, 'Zephyr'), 9]]);

    for (const [query, variables] of [
      [`mutation($m: String!, $h: String) { grantOrganizer(member: $m, hackathon: $h) { id } }`, { m: 'ola', h: spring }],
      [`mutation($into: ID!, $from: ID!) { mergeMembers(into: $into, from: $from, reason: "same person") { id } }`, { into: people.ana.memberId, from: people.zed.memberId }],
    ] as const) {
      expect((await as('admin', query, variables)).errors).toBeUndefined();
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('gives an admin every hackathon of the member: registration, team, submission, published results and allocations', async () => {
    const response = await as('admin', HACKATHONS, { id: people.ana.memberId });
    expect(response.errors).toBeUndefined();
    const [spring, winter, summer] = response.data.member.hackathons;
    expect(slugsOf(response)).toEqual(['spring', 'winter', 'summer']);
    expect(summer).toEqual({
      status: 'REGISTERED',
      registeredAt: expect.any(String),
      withdrawnAt: null,
      isCaptain: true,
      hackathon: {
        slug: 'summer',
        name: 'Summer Jam',
        status: 'FINISHED',
        ecosystemSlug: 'rwkv',
        startsAt: '2026-03-01T00:00:00.000Z',
        endsAt: '2026-03-03T00:00:00.000Z',
      },
      team: { name: 'Alpha' },
      submission: { title: 'Lantern', repositoryUrl: 'https://github.com/rwkv/lantern' },
      result: { rank: 1, score: 80, submissions: 2 },
      allocations: [{ resourceName: 'A100 hours', resourceKind: 'GPU_HOURS', units: 4 }],
    });
    expect(spring).toMatchObject({ status: 'WITHDRAWN', withdrawnAt: '2026-04-20T10:00:00.000Z', team: null, submission: null, result: null, allocations: [] });
    // zed's registration counts for ana since the merge; winter is judging: no result published yet
    expect(winter).toMatchObject({ status: 'REGISTERED', isCaptain: true, team: { name: 'Zeta' }, submission: { title: 'Zephyr' }, result: null, allocations: [] });
  });

  it('gives the member themself all of theirs, and a teammate their own (not captain)', async () => {
    expect(slugsOf(await as('ana', HACKATHONS, { id: people.ana.memberId }))).toEqual(['spring', 'winter', 'summer']);
    const bob = await as('bob', HACKATHONS, { id: people.bob.memberId });
    expect(bob.errors).toBeUndefined();
    expect(bob.data.member.hackathons).toEqual([
      expect.objectContaining({ isCaptain: false, team: { name: 'Alpha' }, result: { rank: 1, score: 80, submissions: 2 } }),
    ]);
  });

  it('gives an organiser only the hackathons they organise', async () => {
    const response = await as('ola', HACKATHONS, { id: people.ana.memberId });
    expect(response.errors).toBeUndefined();
    expect(slugsOf(response)).toEqual(['spring']);
  });

  it('refuses the public and an unrelated member, leaving the rest of the member readable', async () => {
    const anonymous = await as('anonymous', HACKATHONS, { id: people.ana.memberId });
    expect(anonymous.data.member).toEqual({ login: 'ana', hackathons: null });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const eve = await as('eve', HACKATHONS, { id: people.ana.memberId });
    expect(eve.data.member).toEqual({ login: 'ana', hackathons: null });
    expect(eve.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Member\.hackathons needs the member themself or an organiser .*@eve is not$/),
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('lists nothing for a member merged into another: its registrations are the survivor’s', async () => {
    const response = await as('admin', HACKATHONS, { id: people.zed.memberId });
    expect(response.errors).toBeUndefined();
    expect(response.data.member.hackathons).toEqual([]);
  });
});
