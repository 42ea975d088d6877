import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import {
  ALL_REPOSITORY_RESOURCES,
  EcosystemService,
  EcosystemSyncService,
  GithubSyncModule,
  RepositorySyncService,
  SyncHealthService,
  SyncProgressService,
  type RepositorySyncHealth,
} from '#libs/github';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { installRowWriteCounter } from '../helpers/row-write-counter.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const TOKEN = 'e2e-unchanged-resync-token';
const DETAIL = /^\/repos\/([^/]+\/[^/?]+)\/pulls\/(\d+)(\?|$)/;

async function requestLog(sim: GithubSim): Promise<LoggedRequest[]> {
  const snapshot = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot;
  return snapshot.requests.filter((request) => request.client === TOKEN);
}

/** Runs `work` and returns the requests the sim answered meanwhile. */
async function requestsDuring(sim: GithubSim, work: () => Promise<unknown>): Promise<LoggedRequest[]> {
  const before = (await requestLog(sim)).length;
  await work();
  return (await requestLog(sim)).slice(before);
}

describe('an unchanged re-sync of every resource writes no row (e2e, RWKV sim)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let ecosystemId: number;
  let repositoryIds: number[];
  let first: LoggedRequest[];

  const syncAll = () => app.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: 3, resources: ALL_REPOSITORY_RESOURCES });
  const merged = () => sim.snapshot.repositories.flatMap((data) => data.pulls.filter((pull) => pull.merged).map((pull) => ({ data, pull })));

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: TOKEN });
    app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    // an idle client whose backend is terminated (the database dropped at teardown) must not crash the file
    db.on('error', () => undefined);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
    await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
    await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
    ecosystemId = ecosystem.id;
    let failures: unknown[] = [];
    first = await requestsDuring(sim, async () => {
      failures = (await syncAll()).failures;
    });
    expect(failures).toEqual([]);
    repositoryIds = (await db.query(`SELECT id::int AS id FROM repository ORDER BY id`)).rows.map((row: { id: number }) => row.id);
  }, 300_000);

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it('asks "Get a pull request" once per merged pull request, for no other, and stores who merged it', async () => {
    const details = first.filter((request) => DETAIL.test(request.url));
    const expected = merged().map(({ data, pull }) => `${data.repository.fullName}#${pull.number}`).sort();
    expect(expected.length).toBeGreaterThan(50);
    expect(details.map((request) => { const [, repo, number] = DETAIL.exec(request.url)!; return `${repo}#${number}`; }).sort()).toEqual(expected);

    const { rows } = await db.query(
      `SELECT r.full_name, p.number, p.merged_by_account_id::int AS merger, ga.login, ga.member_id IS NOT NULL AS has_identity,
              a.facts->'merged_by' AS fact, a.member_id = author.member_id AS credits_author, p.details_etag IS NOT NULL AS has_etag
         FROM pull_request p JOIN repository r ON r.id = p.repository_id
         LEFT JOIN github_account ga ON ga.id = p.merged_by_account_id
         LEFT JOIN activity a ON a.source_key = 'pull_request:' || p.repository_id || ':' || p.number || ':merged'
         LEFT JOIN github_account author ON author.id = p.author_account_id
        WHERE p.merged`,
    );
    const byKey = new Map(rows.map((row: { full_name: string; number: number }) => [`${row.full_name}#${row.number}`, row]));
    expect(byKey.size).toBe(expected.length);
    for (const { data, pull } of merged()) {
      const row = byKey.get(`${data.repository.fullName}#${pull.number}`) as Record<string, unknown>;
      expect(row.has_etag).toBe(true);
      if (pull.mergedBy && pull.mergedBy.login !== 'ghost') {
        expect(row).toMatchObject({ merger: pull.mergedBy.id, login: pull.mergedBy.login, has_identity: true, fact: { id: pull.mergedBy.id, login: pull.mergedBy.login } });
      } else {
        expect(row).toMatchObject({ merger: null, fact: null });
      }
      // the merge stays the author's contribution, as webhooks credit it
      if (pull.user.login !== 'ghost') expect(row.credits_author).toBe(true);
    }
  });

  it('answers every request of the re-sync with 304, writes no row, and sync health still counts the run', async () => {
    const health = app.get(SyncHealthService);
    const before = await health.byRepositoryIds(repositoryIds);
    const counter = await installRowWriteCounter(db);
    const startedAt = new Date(Date.now() - 1000); // health instants come from this process's clock
    let failures: unknown[] = [];
    const resync = await requestsDuring(sim, async () => {
      failures = (await syncAll()).failures;
    });
    expect(failures).toEqual([]);
    expect(await counter.read()).toEqual({});
    expect(resync.length).toBeGreaterThan(0);
    expect(resync.filter((request) => request.status !== 304)).toEqual([]);
    expect(resync.filter((request) => DETAIL.test(request.url))).toEqual([]);

    const after = await health.byRepositoryIds(repositoryIds);
    const total = (list: RepositorySyncHealth[], key: 'requests' | 'notModified') => list.reduce((sum, item) => sum + item[key], 0);
    const discovery = 3; // one conditional request per tracked source, counted on the source
    expect(total(after, 'requests') - total(before, 'requests')).toBe(resync.length - discovery);
    expect(total(after, 'notModified') - total(before, 'notModified')).toBe(resync.length - discovery);
    for (const repository of after) {
      expect(repository.resources.map((resource) => resource.resource).sort()).toEqual([...ALL_REPOSITORY_RESOURCES].sort());
      expect(repository.failingResources + repository.runningResources).toBe(0);
      expect(repository.lastSuccessAt!.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
    }
    const progress = await app.get(SyncProgressService).progress(ecosystemId, startedAt);
    expect(progress.repositories).toEqual({ total: 6, done: 6, running: 0, failed: 0 });
  });

  it('asks a merged pull request updated since its details were read again with its ETag; a 304 costs no other request', async () => {
    const { rows } = await db.query(
      `UPDATE pull_request SET updated_at = updated_at + interval '1 second'
        WHERE id = (SELECT id FROM pull_request WHERE merged ORDER BY id LIMIT 1)
        RETURNING number, (SELECT full_name FROM repository r WHERE r.id = repository_id) AS full_name`,
    );
    const [{ number, full_name: fullName }] = rows as Array<{ number: number; full_name: string }>;
    const requests = await requestsDuring(sim, syncAll);
    expect(requests.filter((request) => DETAIL.test(request.url)).map((request) => [request.url, request.status])).toEqual([
      [`/repos/${fullName}/pulls/${number}`, 304],
    ]);
    const pending = await db.query(`SELECT count(*)::int AS n FROM pull_request WHERE merged AND details_updated_at < updated_at`);
    expect(pending.rows[0].n).toBe(0);
  });

  it('shows a pass as running, to any reader, while its pages are written', async () => {
    const { rows } = await db.query(`SELECT id::int AS id FROM repository WHERE full_name = 'BlinkDL/RWKV-LM'`);
    const id = (rows[0] as { id: number }).id;
    // forget the commit listing's ETag and watermark: the next pass walks every page again
    await db.query(`UPDATE sync_state SET etag = NULL, cursor = '{}' WHERE repository_id = $1 AND resource = 'commits'`, [id]);
    const health = app.get(SyncHealthService);
    const seen: string[] = [];
    await app.get(RepositorySyncService).syncRepository(id, {
      resources: ['commits'],
      afterPage: async () => {
        const [during] = await health.byRepositoryIds([id]);
        seen.push(`${during.resources.find((resource) => resource.resource === 'commits')!.status}/${during.runningResources}`);
      },
    });
    expect(seen.length).toBeGreaterThan(2);
    // every page but the last is written mid-pass; the last one completes it
    expect(seen.slice(0, -1).every((entry) => entry === 'running/1')).toBe(true);
    expect(seen.at(-1)).toBe('idle/0');
  });

  it('does not ask for a merged pull request whose merger a webhook delivered (details never read)', async () => {
    // as the webhook path leaves a pull request merged with merged_by: merger stored, no detail read
    await db.query(
      `UPDATE pull_request SET details_etag = NULL, details_updated_at = NULL, updated_at = updated_at + interval '1 second'
        WHERE id = (SELECT id FROM pull_request WHERE merged AND merged_by_account_id IS NOT NULL ORDER BY id DESC LIMIT 1)`,
    );
    const requests = await requestsDuring(sim, syncAll);
    expect(requests.filter((request) => DETAIL.test(request.url))).toEqual([]);
  });
});
