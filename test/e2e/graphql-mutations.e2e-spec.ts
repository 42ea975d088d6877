import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { GraphqlClient } from './graphql-client.js';

describe('GraphQL mutations (admin API token)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let queue: Queue;
  let adminToken: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
    queue = new Queue(QueueName.GithubSync, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const CREATE = `mutation Create($slug: String!, $name: String!) { createEcosystem(slug: $slug, name: $name) { slug name repositoryCount } }`;
  const TRACK = `mutation Track($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {
    addTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name) { created trackedSource { kind name paused } }
  }`;
  const SYNC = `mutation Sync($ecosystem: String!) { startSync(ecosystem: $ecosystem) { jobId status ecosystem { slug } } }`;
  const PAUSE = `mutation Pause($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!, $paused: Boolean!) {
    setTrackedSourcePaused(ecosystem: $ecosystem, kind: $kind, name: $name, paused: $paused) { kind name paused }
  }`;
  const REMOVE = `mutation Remove($ecosystem: String!, $kind: TrackedSourceKind!, $name: String!) {
    removeTrackedSource(ecosystem: $ecosystem, kind: $kind, name: $name)
  }`;

  const count = async (sql: string) => Number((await db.query(sql)).rows[0].count);

  it.each([
    ['createEcosystem', CREATE, { slug: 'refused', name: 'Refused' }],
    ['addTrackedSource', TRACK, { ecosystem: 'refused', kind: 'ORGANIZATION', name: 'BlinkDL' }],
    ['startSync', SYNC, { ecosystem: 'refused' }],
    ['setTrackedSourcePaused', PAUSE, { ecosystem: 'refused', kind: 'ORGANIZATION', name: 'BlinkDL', paused: true }],
    ['removeTrackedSource', REMOVE, { ecosystem: 'refused', kind: 'ORGANIZATION', name: 'BlinkDL' }],
  ])('refuses %s without a token with UNAUTHENTICATED and changes nothing', async (field, mutation, variables) => {
    const response = await client.request(mutation, variables);
    expect(response.errors).toEqual([
      expect.objectContaining({ path: [field], extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect(response.errors![0].message).toMatch(/admin API token/);
    expect(await count(`SELECT count(*) FROM ecosystem`)).toBe(0);
    expect(await queue.count()).toBe(0);
  });

  it('refuses a revoked token with HTTP 401', async () => {
    const tokens = app.get(ApiTokenService, { strict: false });
    const { token, secret } = await tokens.create({ name: 'short-lived', role: 'admin' });
    await tokens.revoke(token.id);
    const response = await client.request(CREATE, { slug: 'revoked', name: 'Revoked' }, { token: secret });
    expect(response.status).toBe(401);
    expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await count(`SELECT count(*) FROM ecosystem`)).toBe(0);
  });

  it('creates an ecosystem, tracks sources and starts a sync with an admin token', async () => {
    const created = await client.data(CREATE, { slug: 'rwkv', name: 'RWKV' }, { token: adminToken });
    expect(created.createEcosystem).toEqual({ slug: 'rwkv', name: 'RWKV', repositoryCount: 0 });

    const tracked = await client.data(TRACK, { ecosystem: 'rwkv', kind: 'ORGANIZATION', name: 'BlinkDL' }, { token: adminToken });
    expect(tracked.addTrackedSource).toEqual({
      created: true,
      trackedSource: { kind: 'ORGANIZATION', name: 'BlinkDL', paused: false },
    });
    const again = await client.data(TRACK, { ecosystem: 'rwkv', kind: 'ORGANIZATION', name: 'blinkdl' }, { token: adminToken });
    expect(again.addTrackedSource.created).toBe(false);
    const repo = await client.data(
      TRACK,
      { ecosystem: 'rwkv', kind: 'REPOSITORY', name: 'https://github.com/josStorer/RWKV-Runner.git' },
      { token: adminToken },
    );
    expect(repo.addTrackedSource.trackedSource).toEqual({ kind: 'REPOSITORY', name: 'josStorer/RWKV-Runner', paused: false });

    const sync = await client.data(SYNC, { ecosystem: 'rwkv' }, { token: adminToken });
    expect(sync.startSync).toMatchObject({ status: 'QUEUED', ecosystem: { slug: 'rwkv' } });
    const job = await queue.getJob(sync.startSync.jobId);
    const { rows } = await db.query(`SELECT id FROM ecosystem WHERE slug = 'rwkv'`);
    expect(job?.name).toBe(JobName.DiscoverRepositories);
    expect(job?.data).toEqual({ ecosystemId: rows[0].id, requestId: expect.any(String) });

    const { ecosystem } = await client.data(`{ ecosystem(slug: "rwkv") { trackedSources { kind name } } }`);
    expect(ecosystem.trackedSources).toEqual([
      { kind: 'ORGANIZATION', name: 'BlinkDL' },
      { kind: 'REPOSITORY', name: 'josStorer/RWKV-Runner' },
    ]);
  });

  it('pauses, resumes and stops tracking a source, each audited with the sources before', async () => {
    await client.data(CREATE, { slug: 'paused-eco', name: 'Paused' }, { token: adminToken });
    await client.data(TRACK, { ecosystem: 'paused-eco', kind: 'USER', name: 'BlinkDL' }, { token: adminToken });
    await client.data(TRACK, { ecosystem: 'paused-eco', kind: 'REPOSITORY', name: 'RWKV/rwkv.cpp' }, { token: adminToken });
    const paused = await client.data(PAUSE, { ecosystem: 'paused-eco', kind: 'USER', name: 'blinkdl', paused: true }, { token: adminToken });
    expect(paused.setTrackedSourcePaused).toEqual({ kind: 'USER', name: 'BlinkDL', paused: true });
    const resumed = await client.data(PAUSE, { ecosystem: 'paused-eco', kind: 'USER', name: 'BlinkDL', paused: false }, { token: adminToken });
    expect(resumed.setTrackedSourcePaused.paused).toBe(false);
    expect((await client.data(REMOVE, { ecosystem: 'paused-eco', kind: 'REPOSITORY', name: 'RWKV/rwkv.cpp' }, { token: adminToken })).removeTrackedSource).toBe(true);
    const { ecosystem } = await client.data(`{ ecosystem(slug: "paused-eco") { trackedSources { kind name paused } } }`);
    expect(ecosystem.trackedSources).toEqual([{ kind: 'USER', name: 'BlinkDL', paused: false }]);
    // removing it again: the source is gone
    const again = await client.request(REMOVE, { ecosystem: 'paused-eco', kind: 'REPOSITORY', name: 'RWKV/rwkv.cpp' }, { token: adminToken });
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const audit = await db.query(
      `SELECT operation, target_id, status, jsonb_array_length(before->'trackedSources') AS sources FROM audit_event
        WHERE operation IN ('setTrackedSourcePaused', 'removeTrackedSource') ORDER BY id`,
    );
    expect(audit.rows).toEqual([
      { operation: 'setTrackedSourcePaused', target_id: 'paused-eco', status: 'ok', sources: 2 },
      { operation: 'setTrackedSourcePaused', target_id: 'paused-eco', status: 'ok', sources: 2 },
      { operation: 'removeTrackedSource', target_id: 'paused-eco', status: 'ok', sources: 2 },
      { operation: 'removeTrackedSource', target_id: 'paused-eco', status: 'error', sources: 1 },
    ]);
  });

  it.each([
    ['a slug with capitals', CREATE, { slug: 'Not_A_Slug', name: 'x' }, 'BAD_USER_INPUT'],
    ['a blank name', CREATE, { slug: 'blank-name', name: '   ' }, 'BAD_USER_INPUT'],
    ['a slug that is taken', CREATE, { slug: 'taken', name: 'Taken' }, 'CONFLICT'],
    ['an invalid login', TRACK, { ecosystem: 'taken', kind: 'USER', name: 'not a login!' }, 'BAD_USER_INPUT'],
    ['a repository without an owner', TRACK, { ecosystem: 'taken', kind: 'REPOSITORY', name: 'RWKV-LM' }, 'BAD_USER_INPUT'],
    ['an unknown ecosystem', TRACK, { ecosystem: 'nope', kind: 'USER', name: 'BlinkDL' }, 'NOT_FOUND'],
    ['a sync of an unknown ecosystem', SYNC, { ecosystem: 'nope' }, 'NOT_FOUND'],
  ])('answers %s with a clear error', async (_label, mutation, variables, code) => {
    await client.request(CREATE, { slug: 'taken', name: 'Taken' }, { token: adminToken });
    const response = await client.request(mutation, variables, { token: adminToken });
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0].extensions?.code).toBe(code);
    expect(response.errors![0].message.length).toBeGreaterThan(5);
  });

  it('refuses an unknown enum value before running the mutation', async () => {
    const response = await client.request(TRACK, { ecosystem: 'taken', kind: 'TEAM', name: 'x' }, { token: adminToken });
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
