import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createMember, type CreatedMember } from '../helpers/factories.js';
import { isBackgroundQuery } from '../helpers/query-count.js';
import { openMemberSession, type SessionCredentials } from '../helpers/member-session.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient, type GraphqlResponse } from './graphql-client.js';

const HACKATHONS = `query($id: ID!) { member(id: $id) { login hackathons { status hackathon { slug } team { name } submission { title } result { rank } } } }`;

/** A page of registrations of one hackathon, each member's hackathons with it (an organiser's view of its participants). */
const REGISTRANTS = `query($slug: String!) { hackathon(slug: $slug) { registrations { member { login hackathons { hackathon { slug } team { name } submission { title } } } } } }`;

/**
 * Member.hackathons against hostile readers: organisers of one hackathon or of another ecosystem, a judge,
 * merges and unmerges, and the SQL a page of members costs an organiser (the access checks are batched).
 */
describe('Member.hackathons, hostile readers', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let adminToken: string;
  const people: Record<string, CreatedMember> = {};
  const sessions: Record<string, SessionCredentials> = {};
  const queries: string[] = [];
  let counting = false;
  let mergeId: string;

  /** POSTs an operation as `who`: the admin token, a member's session, or nobody. */
  function as<Data = any>(who: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphqlResponse<Data>> {
    return client.request<Data>(query, variables, who === 'admin' ? { token: adminToken } : { session: sessions[who] });
  }
  const slugsOf = (response: GraphqlResponse) => response.data?.member?.hackathons?.map((entry: { hackathon: { slug: string } }) => entry.hackathon.slug);

  const FILLERS = 24;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ WEBHOOK_RELAY_EVERY_SECONDS: '3600' });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'hostile admin', role: 'admin' })).secret;
    const rwkv = await createEcosystem(db, { slug: 'rwkv' });
    const other = await createEcosystem(db, { slug: 'other' });
    const logins = ['ana', 'eve', 'ola', 'oz', 'jay', 'zed'];
    for (let i = 0; i < FILLERS; i += 1) logins.push(`filler-${i}`);
    for (const login of logins) people[login] = await createMember(db, { login });
    for (const login of logins) {
      sessions[login] = await openMemberSession(app, people[login], login);
    }
    const one = async (sql: string, params: unknown[]) => (await db.query(sql, params)).rows[0]?.id as string;
    const hackathon = (ecosystemId: number, slug: string, status: string, startsAt: string) =>
      one(
        `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
         VALUES ($1, $2, initcap($2) || ' Jam', $3, $4::timestamptz, $4::timestamptz + interval '2 days') RETURNING id`,
        [ecosystemId, slug, status, startsAt],
      );
    const register = (hackathonId: string, login: string) =>
      db.query(`INSERT INTO hackathon_registration (hackathon_id, member_id) VALUES ($1, $2)`, [hackathonId, people[login].memberId]);
    const team = async (hackathonId: string, name: string, members: string[]) => {
      const id = await one(`INSERT INTO team (hackathon_id, name, invite_code, captain_member_id) VALUES ($1, $2, $3, $4) RETURNING id`, [
        hackathonId,
        name,
        `${name.toLowerCase()}-code-0001`,
        people[members[0]].memberId,
      ]);
      for (const login of members) await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [id, hackathonId, people[login].memberId]);
      return id;
    };
    const submit = (hackathonId: string, teamId: string, title: string) =>
      one(`INSERT INTO submission (hackathon_id, team_id, title, repository_url) VALUES ($1, $2, $3, 'https://github.com/rwkv/x') RETURNING id`, [hackathonId, teamId, title]);

    // spring (rwkv, running): ana in team Alpha with a submission; every filler registered; ola organises it
    const spring = await hackathon(rwkv, 'spring', 'running', '2026-05-01T00:00:00Z');
    await register(spring, 'ana');
    await submit(spring, await team(spring, 'Alpha', ['ana']), 'Lantern');
    for (let i = 0; i < FILLERS; i += 1) await register(spring, `filler-${i}`);
    // winter (rwkv, judging): zed's team Zeta with a submission jay judges; zed is merged into ana below
    const winter = await hackathon(rwkv, 'winter', 'judging', '2026-04-01T00:00:00Z');
    await register(winter, 'zed');
    const zeta = await submit(winter, await team(winter, 'Zeta', ['zed']), 'Zephyr');
    const judge = await one(`INSERT INTO judge (hackathon_id, member_id) VALUES ($1, $2) RETURNING id`, [winter, people.jay.memberId]);
    await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [judge, zeta]);
    // alien (other ecosystem, running): ana in team Omega with a submission; oz organises the whole "other" ecosystem
    const alien = await hackathon(other, 'alien', 'running', '2026-06-01T00:00:00Z');
    await register(alien, 'ana');
    await submit(alien, await team(alien, 'Omega', ['ana']), 'Secret Plan');

    for (const [query, variables] of [
      [`mutation($m: String!, $h: String) { grantOrganizer(member: $m, hackathon: $h) { id } }`, { m: 'ola', h: spring }],
      [`mutation($m: String!, $e: String) { grantOrganizer(member: $m, ecosystem: $e) { id } }`, { m: 'oz', e: 'other' }],
    ] as const) {
      const response = await as('admin', query, variables);
      expect(response.errors).toBeUndefined();
    }
    const merged = await as('admin', `mutation($into: ID!, $from: ID!) { mergeMembers(into: $into, from: $from, reason: "same") { id } }`, {
      into: people.ana.memberId,
      from: people.zed.memberId,
    });
    expect(merged.errors).toBeUndefined();
    mergeId = merged.data.mergeMembers.id;

    const dataSource = app.get(DataSource, { strict: false });
    dataSource.subscribers.push({
      beforeQuery: (event: { query: string }) => {
        if (counting && !isBackgroundQuery(event.query)) queries.push(event.query);
      },
    } as never);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('an organiser of one hackathon sees only that one of the member’s hackathons', async () => {
    const response = await as('ola', HACKATHONS, { id: people.ana.memberId });
    expect(response.errors).toBeUndefined();
    expect(slugsOf(response)).toEqual(['spring']);
  });

  it('an organiser of another ecosystem sees only that ecosystem’s hackathon', async () => {
    const response = await as('oz', HACKATHONS, { id: people.ana.memberId });
    expect(response.errors).toBeUndefined();
    expect(slugsOf(response)).toEqual(['alien']);
  });

  it('a judge assigned to the member’s (merged) submission is refused the member’s hackathons', async () => {
    const response = await as('jay', HACKATHONS, { id: people.ana.memberId });
    expect(response.data.member.hackathons).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('an unmerge gives zed his registration back, and ana no longer lists it', async () => {
    const undo = await as('admin', `mutation($id: ID!) { unmergeMember(mergeId: $id, reason: "not the same") { id } }`, { id: mergeId });
    expect(undo.errors).toBeUndefined();
    expect(slugsOf(await as('admin', HACKATHONS, { id: people.ana.memberId }))).toEqual(['alien', 'spring']);
    expect(slugsOf(await as('admin', HACKATHONS, { id: people.zed.memberId }))).toEqual(['winter']);
    expect(slugsOf(await as('ana', HACKATHONS, { id: people.ana.memberId }))).toEqual(['alien', 'spring']);
    // zed, no longer ana, is refused ana's
    expect((await as('zed', HACKATHONS, { id: people.ana.memberId })).data.member.hackathons).toBeNull();
  });

  /**
   * The access rule (`self(parent.id)`, then the resolver's isSelf again) compares `member_root`s: read for
   * the whole page at once, not member by member.
   */
  it('costs the same SQL for an organiser reading 24 registrants’ hackathons as for the admin (no per-member statements)', async () => {
    async function count(who: string) {
      queries.length = 0;
      counting = true;
      try {
        const response = await as(who, REGISTRANTS, { slug: 'spring' });
        expect(response.errors).toBeUndefined();
        expect(response.data.hackathon.registrations).toHaveLength(FILLERS + 1);
        return queries.length;
      } finally {
        counting = false;
      }
    }
    const admin = await count('admin');
    const organiser = await count('ola');
    // a few statements for the session and grants are fine; one or more per registrant is not
    expect(organiser - admin).toBeLessThan(FILLERS);
  });
});
