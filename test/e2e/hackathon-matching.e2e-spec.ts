import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule, QueueName } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { HackathonsProcessorModule } from '../../apps/worker/src/processors/hackathons-processor.module.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createMatchingHackathon, waitForRun } from './hackathon-matching-helpers.js';
import { GraphqlClient } from './graphql-client.js';

const RUN_FIELDS = `id status progress objective inputHash parentRunId attempts error
  stats { teams candidates allocations unitsAllocated solveMs }
  allocations { teamId resourceId units pinned }
  explanations { teamId teamName text received { resourceId units rank pinned } shortfalls { resourceId rank wanted got reason } }`;

describe('hackathon resource matching through GraphQL and a real worker (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let client: GraphqlClient;
  let token: string;
  let hackathon: Awaited<ReturnType<typeof createMatchingHackathon>>;

  const gql = (query: string, variables: Record<string, unknown> = {}) => client.data(query, variables, { token });
  const run = async (id: string) => (await gql(`query($id: ID!) { matchingRun(id: $id) { ${RUN_FIELDS} } }`, { id })).matchingRun;
  const start = async () =>
    (await gql(`mutation($h: ID!) { startMatchingRun(hackathonId: $h) { created run { id status } } }`, { h: hackathon.id })).startMatchingRun;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    token = (await api.get(ApiTokenService, { strict: false }).create({ name: 'e2e organiser', role: 'admin' })).secret;
    const workerModule = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, HackathonsProcessorModule] }).compile();
    workerModule.useLogger(false);
    worker = await workerModule.init();
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv-hack' });
    hackathon = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
  });

  afterAll(async () => {
    await worker?.get<Queue>(getQueueToken(QueueName.Hackathons)).obliterate({ force: true });
    await worker?.close();
    await api?.close();
    await db?.end();
    await env?.teardown();
  });

  it('refuses matching mutations without an admin token and bad input with BAD_USER_INPUT', async () => {
    const anonymous = await client.request(`mutation($h: ID!) { startMatchingRun(hackathonId: $h) { created } }`, { h: hackathon.id });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const negative = await client.request(
      `mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: GPU_HOURS, name: "Bad", capacity: -1, perTeamMax: 1 }) { id } }`,
      { h: hackathon.id },
      { token },
    );
    expect(negative.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(negative.errors?.[0].message).toContain('capacity');
    const mentorWithoutMember = await client.request(
      `mutation($h: ID!) { createResource(hackathonId: $h, input: { kind: MENTOR_HOURS, name: "Nobody", capacity: 2, perTeamMax: 1 }) { id } }`,
      { h: hackathon.id },
      { token },
    );
    expect(mentorWithoutMember.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const rankTaken = await client.request(
      `mutation($t: ID!, $r: ID!) { createResourceRequest(input: { teamId: $t, resourceId: $r, amount: 1, rank: 1 }) { id } }`,
      { t: hackathon.teams.alpha, r: hackathon.resources.a100 },
      { token },
    );
    expect(rankTaken.errors?.[0].extensions?.code).toBe('CONFLICT');
    const unknownRun = await client.request(`{ matchingRun(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, { token });
    expect(unknownRun.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('gives two organisers starting at once one run, solved into a draft with explanations', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    expect(second.run.id).toBe(first.run.id);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    await waitForRun(db, first.run.id, ['draft']);
    const draft = await run(first.run.id);
    expect(draft).toMatchObject({ status: 'DRAFT', progress: 100, attempts: 1, error: null, parentRunId: null });
    expect(draft.inputHash).toMatch(/^[0-9a-f]{64}$/);
    expect(draft.objective).toBeGreaterThan(0);
    expect(draft.stats).toMatchObject({ teams: 4, allocations: draft.allocations.length });
    // every team with a feasible request gets something (the fairness tier)
    expect(new Set(draft.allocations.map((a: { teamId: string }) => a.teamId))).toEqual(new Set(Object.values(hackathon.teams)));
    const capacities = new Map([
      [hackathon.resources.h100, 8],
      [hackathon.resources.a100, 20],
      [hackathon.resources.mentor, 4],
    ]);
    for (const [resourceId, capacity] of capacities) {
      const used = draft.allocations.filter((a: { resourceId: string }) => a.resourceId === resourceId).reduce((sum: number, a: { units: number }) => sum + a.units, 0);
      expect(used).toBeLessThanOrEqual(capacity);
    }
    expect(draft.explanations.map((e: { teamName: string }) => e.teamName)).toEqual(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    for (const explanation of draft.explanations) expect(explanation.text).toMatch(/^got \d+ /);
    // Delta has one member: the mentor (minimum team size 2) is not for it, and says so
    const delta = draft.explanations.find((e: { teamName: string }) => e.teamName === 'Delta');
    expect(delta.shortfalls).toContainEqual(expect.objectContaining({ resourceId: hackathon.resources.mentor, reason: 'TEAM_TOO_SMALL' }));
    expect(delta.text).toContain('not eligible: rank 1 (Mentor Bo) needs a larger team');
    expect(draft.allocations.some((a: { teamId: string; resourceId: string }) => a.teamId === hackathon.teams.delta && a.resourceId === hackathon.resources.mentor)).toBe(false);
  });

  it('re-solves around a pin in a new run that supersedes the draft, then publishes once with one notification per team', async () => {
    const [current] = (await gql(`query($h: ID!) { matchingRuns(hackathonId: $h) { id status } }`, { h: hackathon.id })).matchingRuns;
    expect(current.status).toBe('DRAFT');
    const pinned = (
      await gql(
        `mutation($t: ID!, $r: ID!) { pinAllocation(teamId: $t, resourceId: $r, units: 3) { created run { id parentRunId } } }`,
        { t: hackathon.teams.charlie, r: hackathon.resources.h100 },
      )
    ).pinAllocation;
    expect(pinned).toMatchObject({ created: true, run: { parentRunId: current.id } });
    await waitForRun(db, pinned.run.id, ['draft']);
    const resolved = await run(pinned.run.id);
    expect(resolved.allocations).toContainEqual({ teamId: hackathon.teams.charlie, resourceId: hackathon.resources.h100, units: 3, pinned: true });
    expect((await run(current.id)).status).toBe('SUPERSEDED');
    const overCapacity = await client.request(
      `mutation($t: ID!, $r: ID!) { pinAllocation(teamId: $t, resourceId: $r, units: 9) { created } }`,
      { t: hackathon.teams.alpha, r: hackathon.resources.h100 },
      { token },
    );
    expect(overCapacity.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    const superseded = await client.request(`mutation($id: ID!) { publishMatchingRun(id: $id) { notified } }`, { id: current.id }, { token });
    expect(superseded.errors?.[0].extensions?.code).toBe('CONFLICT');
    const publish = () => gql(`mutation($id: ID!) { publishMatchingRun(id: $id) { notified run { status } } }`, { id: pinned.run.id });
    const racing = await Promise.all([publish(), publish()]);
    const again = await publish();
    expect([...racing, again].map((r) => r.publishMatchingRun.run.status)).toEqual(['PUBLISHED', 'PUBLISHED', 'PUBLISHED']);
    expect([...racing, again].reduce((sum, r) => sum + r.publishMatchingRun.notified, 0)).toBe(4);
    for (const teamId of Object.values(hackathon.teams)) {
      const { teamNotifications } = await gql(`query($t: ID!) { teamNotifications(teamId: $t) { runId kind deliveredAt } }`, { t: teamId });
      expect(teamNotifications).toEqual([{ runId: pinned.run.id, kind: 'allocation_published', deliveredAt: null }]);
    }
  });

  it('publishing a newer draft supersedes the published run and keeps one published run', async () => {
    const unpinned = (
      await gql(`mutation($t: ID!, $r: ID!) { unpinAllocation(teamId: $t, resourceId: $r) { created run { id } } }`, {
        t: hackathon.teams.charlie,
        r: hackathon.resources.h100,
      })
    ).unpinAllocation;
    await waitForRun(db, unpinned.run.id, ['draft']);
    const [published] = (await db.query(`SELECT id FROM matching_run WHERE hackathon_id = $1 AND status = 'published'`, [hackathon.id])).rows;
    await gql(`mutation($id: ID!) { publishMatchingRun(id: $id) { notified } }`, { id: unpinned.run.id });
    const statuses = (await db.query(`SELECT id, status FROM matching_run WHERE id = ANY($1::uuid[])`, [[published.id, unpinned.run.id]])).rows;
    expect(Object.fromEntries(statuses.map((r) => [r.id, r.status]))).toEqual({ [published.id]: 'superseded', [unpinned.run.id]: 'published' });
    const perRun = (await db.query(`SELECT run_id, count(*)::int AS n FROM team_notification GROUP BY run_id ORDER BY n`)).rows;
    expect(perRun.map((r) => r.n)).toEqual([4, 4]);

    const { hackathon: fields } = await gql(
      `query($id: ID!) { hackathon(id: $id) { resources { name } publishedMatchingRun { id }
        teams { name resourceRequests { rank } allocations { resourceId units } notifications { runId } } } }`,
      { id: hackathon.id },
    );
    expect(fields.resources.map((r: { name: string }) => r.name)).toEqual(['A100 hours', 'H100 hours', 'Mentor Bo']);
    expect(fields.publishedMatchingRun).toEqual({ id: unpinned.run.id });
    const delta = fields.teams.find((t: { name: string }) => t.name === 'Delta');
    expect(delta.resourceRequests).toEqual([{ rank: 1 }, { rank: 2 }]);
    const newest = await run(unpinned.run.id);
    expect(delta.allocations).toEqual(
      newest.allocations.filter((a: { teamId: string }) => a.teamId === hackathon.teams.delta).map(({ resourceId, units }: { resourceId: string; units: number }) => ({ resourceId, units })),
    );
    expect(delta.notifications).toHaveLength(2);
    const anonymous = await client.request(`query($id: ID!) { hackathon(id: $id) { teams { notifications { runId } } } }`, { id: hackathon.id });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('solves the same input into the same allocations', async () => {
    const runs = (await db.query(`SELECT id FROM matching_run WHERE hackathon_id = $1 ORDER BY created_at`, [hackathon.id])).rows;
    const first = await run(runs[0].id);
    const again = await start();
    await waitForRun(db, again.run.id, ['draft']);
    const repeated = await run(again.run.id);
    expect(repeated.inputHash).toBe(first.inputHash);
    expect(repeated.objective).toBe(first.objective);
    expect(repeated.allocations).toEqual(first.allocations);
  });
});
