import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { StageService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createActivities, createEcosystem, createMember, createRepository, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

describe('GraphQL stages: funnel (non-paying), path, cohorts, next-step lists, rules', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let adminToken: string;
  let members: Record<'paying' | 'free' | 'solo' | 'bot', CreatedMember>;
  let commitIds: string[];
  let openLabId: string;
  const NOW = new Date('2025-06-01T00:00:00Z');

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;

    const ecosystemId = await createEcosystem(db, { slug: 'rwkv' });
    const repo = await createRepository(db, { ecosystemId, owner: 'BlinkDL', name: 'RWKV-LM' });
    members = {
      paying: await createMember(db, { login: 'paying' }),
      free: await createMember(db, { login: 'free' }),
      solo: await createMember(db, { login: 'solo' }),
      bot: await createMember(db, { kind: 'bot' }),
    };
    const { rows: orgs } = await db.query(
      `INSERT INTO organization (name, is_customer) VALUES ('BigCo', true), ('OpenLab', false) RETURNING id`,
    );
    openLabId = orgs[1].id;
    await db.query(
      `INSERT INTO affiliation (member_id, organization_id, source) VALUES ($1, $2, 'manual'), ($3, $4, 'manual')`,
      [members.paying.memberId, orgs[0].id, members.free.memberId, orgs[1].id],
    );
    commitIds = await createActivities(db, [
      { member: members.paying, repositoryId: repo, type: 'commit', occurredAt: '2025-05-01T00:00:00Z' },
      { member: members.free, repositoryId: repo, type: 'star', occurredAt: '2025-04-01T00:00:00Z' },
      { member: members.free, repositoryId: repo, type: 'issue_opened', occurredAt: '2025-04-02T00:00:00Z' },
      { member: members.free, repositoryId: repo, type: 'commit', occurredAt: '2025-05-05T00:00:00Z' },
      { member: members.solo, repositoryId: repo, type: 'issue_opened', occurredAt: '2025-05-10T00:00:00Z' },
      { member: members.bot, repositoryId: repo, type: 'commit', occurredAt: '2025-05-10T00:00:00Z' },
    ]);
    await app.get(StageService, { strict: false }).evaluateActivities(commitIds, { now: NOW });
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('answers the funnel of non-paying organisations (members without one included), bots left out', async () => {
    const FUNNEL = `query($nonPaying: Boolean) { funnel(ecosystem: "rwkv", nonPayingOnly: $nonPaying, to: "${NOW.toISOString()}") {
      entered lapsed steps { stage reached current conversionToNext } } }`;
    const all = (await client.data(FUNNEL, { nonPaying: false })).funnel;
    expect(all.entered).toBe(3);
    const free = (await client.data(FUNNEL, { nonPaying: true })).funnel;
    expect(free.entered).toBe(2);
    expect(free.steps.slice(0, 3)).toEqual([
      { stage: 'OBSERVER', reached: 2, current: 0, conversionToNext: 1 },
      { stage: 'USER', reached: 2, current: 1, conversionToNext: 0.5 },
      { stage: 'FIRST_TIME_CONTRIBUTOR', reached: 1, current: 1, conversionToNext: 0 },
    ]);
    const byOrganization = await client.data(`query($org: ID) { funnel(ecosystem: "rwkv", organization: $org, to: "${NOW.toISOString()}") { entered } }`, {
      org: openLabId,
    });
    expect(byOrganization.funnel.entered).toBe(1);
    const malformed = await client.request(`{ funnel(ecosystem: "rwkv", organization: "not-a-uuid") { entered } }`);
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("answers a member's dated path with the activities that caused it", async () => {
    const data = await client.data(`{ member(login: "free") { stage { stage ecosystemSlug since } path { from to at activity { id type } } } }`);
    expect(data.member.stage).toEqual({ stage: 'FIRST_TIME_CONTRIBUTOR', ecosystemSlug: 'rwkv', since: '2025-05-05T00:00:00.000Z' });
    expect(data.member.path).toEqual([
      { from: null, to: 'OBSERVER', at: '2025-04-01T00:00:00.000Z', activity: { id: commitIds[1], type: 'STAR' } },
      { from: 'OBSERVER', to: 'USER', at: '2025-04-02T00:00:00.000Z', activity: { id: commitIds[2], type: 'ISSUE_OPENED' } },
      { from: 'USER', to: 'FIRST_TIME_CONTRIBUTOR', at: '2025-05-05T00:00:00.000Z', activity: { id: commitIds[3], type: 'COMMIT' } },
    ]);
  });

  it('answers cohorts and the next-step lists', async () => {
    const cohorts = await client.data(`{ cohorts(ecosystem: "rwkv", weeks: [0], to: "${NOW.toISOString()}") { month weeks size stages { stage count } } }`);
    expect(cohorts.cohorts.map((c: { month: string; size: number }) => [c.month, c.size])).toEqual([
      ['2025-04-01T00:00:00.000Z', 1],
      ['2025-05-01T00:00:00.000Z', 2],
    ]);
    // the same rows a page at a time, with their total
    const rows = `ecosystem: "rwkv", weeks: [0, 4], to: "${NOW.toISOString()}"`;
    const all = (await client.data(`{ cohorts(${rows}) { month weeks size } }`)).cohorts;
    expect(all).toHaveLength(4);
    const first = await client.data(`{ cohortPage(${rows}, first: 3) { totalCount offset rows { month weeks size } } }`);
    expect(first.cohortPage).toEqual({ totalCount: 4, offset: 0, rows: all.slice(0, 3) });
    const second = await client.data(`{ cohortPage(${rows}, first: 3, offset: 3) { totalCount offset rows { month weeks size } } }`);
    expect(second.cohortPage).toEqual({ totalCount: 4, offset: 3, rows: all.slice(3) });
    const refused = await client.request(`{ cohortPage(${rows}, offset: -3) { totalCount } }`);
    expect(refused.errors?.[0]).toMatchObject({ message: 'Invalid offset -3: give a whole number of 0 or more', extensions: { code: 'BAD_USER_INPUT' } });
    const ready = await client.data(`{ readyForNextStep(kind: REPORTERS_WITHOUT_PULL_REQUEST, ecosystem: "rwkv") { edges { node { member { login } stage { issuesOpened } } } } }`);
    expect(ready.readyForNextStep.edges).toEqual([{ node: { member: { login: 'solo' }, stage: { issuesOpened: 1 } } }]);
  });

  it('changes the rules with an admin token only, validated, under a new version', async () => {
    const UPDATE = `mutation($rules: StageRulesInput!) { updateStageRules(ecosystem: "rwkv", rules: $rules) { source version regular { minWeeks windowWeeks } } }`;
    const refused = await client.request(UPDATE, { rules: { regularMinWeeks: 2 } });
    expect(refused.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const invalid = await client.request(UPDATE, { rules: { regularMinWeeks: 20, regularWindowWeeks: 4 } }, { token: adminToken });
    expect(invalid.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(invalid.errors?.[0].message).toMatch(/regular.minWeeks must not exceed regular.windowWeeks/);
    const changed = await client.data(UPDATE, { rules: { regularMinWeeks: 2 } }, { token: adminToken });
    expect(changed.updateStageRules).toMatchObject({ source: 'ecosystem', regular: { minWeeks: 2, windowWeeks: 12 } });
    expect(changed.updateStageRules.version).toBeGreaterThan(0);
    const read = await client.data(`{ stageRules(ecosystem: "rwkv") { version lapsed { afterWeeks } } }`);
    expect(read.stageRules).toEqual({ version: changed.updateStageRules.version, lapsed: { afterWeeks: 26 } });
  });
});
