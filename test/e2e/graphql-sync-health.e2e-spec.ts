import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createEcosystem, createRepository, createTrackedSource, type Queryable } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { isBackgroundQuery } from '../helpers/query-count.js';
import { GraphqlClient } from './graphql-client.js';

/** A `sync_state` row, seeded with plain SQL as the sync would leave it. */
interface SyncStateFields {
  repositoryId: number;
  resource: string;
  status?: 'idle' | 'running' | 'failed';
  lastStartedAt?: Date | null;
  lastSuccessAt?: Date | null;
  requests?: number;
  notModified?: number;
  items?: number;
  lastError?: string | null;
}

async function createSyncState(db: Queryable, fields: SyncStateFields): Promise<void> {
  await db.query(
    `INSERT INTO sync_state (repository_id, resource, status, last_started_at, last_success_at, requests, not_modified, items, last_error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      fields.repositoryId,
      fields.resource,
      fields.status ?? 'idle',
      fields.lastStartedAt ?? null,
      fields.lastSuccessAt ?? null,
      fields.requests ?? 0,
      fields.notModified ?? 0,
      fields.items ?? 0,
      fields.lastError ?? null,
    ],
  );
}

const HOUR = 3_600_000;
const started = Date.now();
/** An instant `hours` hours before the test started. */
const ago = (hours: number) => new Date(started - hours * HOUR);
/** Seconds elapsed since `instant`, as the API could have measured it during this test (a range). */
const ageRange = (instant: Date) => {
  const low = Math.floor((started - instant.getTime()) / 1000);
  return [low, low + 120] as const;
};

describe('GraphQL Repository.syncHealth (HTTP, seeded Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  const queries: string[] = [];
  let counting = false;
  let healthy: number;
  let failing: number;
  let unsynced: number;
  const extra: number[] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    // the api's delivery relay queries Postgres every few seconds: keep its passes out of the count
    env.apply({ WEBHOOK_RELAY_EVERY_SECONDS: '3600' });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });

    const eco = await createEcosystem(db, { slug: 'health' });
    const source = await createTrackedSource(db, { ecosystemId: eco, name: 'health-org' });
    healthy = await createRepository(db, { owner: 'health-org', name: 'a-healthy', ecosystemId: eco, trackedSourceId: source });
    failing = await createRepository(db, { owner: 'health-org', name: 'b-failing', ecosystemId: eco, trackedSourceId: source });
    unsynced = await createRepository(db, { owner: 'health-org', name: 'c-unsynced', ecosystemId: eco, trackedSourceId: source });

    // healthy: commits succeeded 2 h ago, pulls 1 h ago (the oldest success is the commits')
    await createSyncState(db, {
      repositoryId: healthy,
      resource: 'commits',
      lastStartedAt: ago(2.1),
      lastSuccessAt: ago(2),
      requests: 8,
      notModified: 6,
      items: 120,
    });
    await createSyncState(db, {
      repositoryId: healthy,
      resource: 'pulls',
      lastStartedAt: ago(1.1),
      lastSuccessAt: ago(1),
      requests: 2,
      notModified: 2,
      items: 7,
    });
    // failing: reviews failed after an earlier success; issues running and never succeeded, no request yet
    await createSyncState(db, {
      repositoryId: failing,
      resource: 'reviews',
      status: 'failed',
      lastStartedAt: ago(0.5),
      lastSuccessAt: ago(30),
      requests: 5,
      notModified: 0,
      items: 3,
      lastError: 'GitHub answered 502 Bad Gateway',
    });
    await createSyncState(db, { repositoryId: failing, resource: 'issues', status: 'running', lastStartedAt: ago(0.1) });

    // more repositories with sync state, for the query count
    for (let i = 0; i < 6; i += 1) {
      const id = await createRepository(db, { owner: 'health-org', name: `d-extra-${i}`, ecosystemId: eco, trackedSourceId: source });
      extra.push(id);
      await createSyncState(db, { repositoryId: id, resource: 'commits', lastSuccessAt: ago(3), requests: 1, notModified: 1 });
    }

    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    const dataSource = app.get(DataSource, { strict: false });
    dataSource.subscribers.push({
      beforeQuery: (event: { query: string }) => {
        if (counting && !isBackgroundQuery(event.query)) queries.push(event.query);
      },
    } as never);
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const HEALTH = `query Health {
    repositories(ecosystem: "health") {
      id
      name
      syncHealth {
        requests notModified share304 lastSuccessAt lastStartedAt cursorAgeSeconds failingResources runningResources
        resources {
          resource status lastStartedAt lastSuccessAt cursorAgeSeconds requests notModified share304 items lastError
        }
      }
    }
  }`;

  async function health(): Promise<Map<number, any>> {
    const data = await client.data(HEALTH);
    return new Map(data.repositories.map((r: any) => [Number(r.id), r.syncHealth]));
  }

  it('answers per-resource figures and repository totals, without a token', async () => {
    const byId = await health();
    const h = byId.get(healthy);
    expect(h).toMatchObject({
      requests: 10,
      notModified: 8,
      share304: 0.8,
      lastSuccessAt: ago(2).toISOString(),
      failingResources: 0,
      runningResources: 0,
    });
    expect(h.lastStartedAt).toBe(ago(1.1).toISOString()); // the latest start of any resource: the pulls'
    const [low, high] = ageRange(ago(2));
    expect(h.cursorAgeSeconds).toBeGreaterThanOrEqual(low);
    expect(h.cursorAgeSeconds).toBeLessThanOrEqual(high);

    expect(h.resources.map((r: any) => r.resource)).toEqual(['commits', 'pulls']);
    const [commits, pulls] = h.resources;
    expect(commits).toMatchObject({
      status: 'IDLE',
      lastStartedAt: ago(2.1).toISOString(),
      lastSuccessAt: ago(2).toISOString(),
      requests: 8,
      notModified: 6,
      share304: 0.75,
      items: 120,
      lastError: null,
    });
    expect(commits.cursorAgeSeconds).toBeGreaterThanOrEqual(low);
    expect(commits.cursorAgeSeconds).toBeLessThanOrEqual(high);
    expect(pulls).toMatchObject({ status: 'IDLE', requests: 2, notModified: 2, share304: 1, items: 7 });
    const [pullsLow, pullsHigh] = ageRange(ago(1));
    expect(pulls.cursorAgeSeconds).toBeGreaterThanOrEqual(pullsLow);
    expect(pulls.cursorAgeSeconds).toBeLessThanOrEqual(pullsHigh);
  });

  it('reports failures and runs in progress; never succeeded and no requests are null, not 0', async () => {
    const h = (await health()).get(failing);
    expect(h).toMatchObject({
      requests: 5,
      notModified: 0,
      share304: 0,
      lastSuccessAt: null, // issues has never succeeded
      lastStartedAt: ago(0.1).toISOString(), // issues' run, started after the reviews'
      cursorAgeSeconds: null,
      failingResources: 1,
      runningResources: 1,
    });
    expect(h.resources).toEqual([
      {
        resource: 'issues',
        status: 'RUNNING',
        lastStartedAt: ago(0.1).toISOString(),
        lastSuccessAt: null,
        cursorAgeSeconds: null,
        requests: 0,
        notModified: 0,
        share304: null,
        items: 0,
        lastError: null,
      },
      expect.objectContaining({
        resource: 'reviews',
        status: 'FAILED',
        lastSuccessAt: ago(30).toISOString(),
        share304: 0,
        lastError: 'GitHub answered 502 Bad Gateway',
      }),
    ]);
  });

  it('gives a repository never synced an empty health', async () => {
    expect((await health()).get(unsynced)).toEqual({
      requests: 0,
      notModified: 0,
      share304: null,
      lastSuccessAt: null,
      lastStartedAt: null,
      cursorAgeSeconds: null,
      failingResources: 0,
      runningResources: 0,
      resources: [],
    });
  });

  it('loads the health of a page of repositories with one sync_state query', async () => {
    queries.length = 0;
    counting = true;
    let byId: Map<number, any>;
    try {
      byId = await health();
    } finally {
      counting = false;
    }
    expect(byId.size).toBe(3 + extra.length);
    for (const id of extra) expect(byId.get(id)).toMatchObject({ requests: 1, share304: 1, resources: [{ resource: 'commits' }] });
    const syncStateQueries = queries.filter((sql) => /\bsync_state\b/.test(sql));
    expect(syncStateQueries).toHaveLength(1);
    // the ecosystem lookup, the repositories page, and their sync health
    expect(queries.length).toBeLessThanOrEqual(3);
  });
});
