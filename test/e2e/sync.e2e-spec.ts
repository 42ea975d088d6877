import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, EcosystemSyncService, GithubSyncModule, RepositorySyncService, SyncHealthService } from '#libs/github';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import type { SimStatsSnapshot } from '../../apps/github-sim/src/http/sim-stats.js';
import { readRwkvExport, simStats, startRwkvSim, type ExportedRepository } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** Counts of every table the sync writes. */
async function countRows(db: DataSource): Promise<Record<string, number>> {
  const tables = ['repository', 'git_commit', 'git_commit_repository', 'pull_request', 'activity', 'member', 'identity', 'github_account'];
  const [row] = await db.query(`SELECT ${tables.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`).join(', ')}`);
  return row as Record<string, number>;
}

function diff(after: SimStatsSnapshot, before: SimStatsSnapshot): { requests: number; notModified: number; byStatus: Record<string, number> } {
  const byStatus: Record<string, number> = {};
  for (const [status, count] of Object.entries(after.byStatus)) {
    const delta = count - (before.byStatus[status] ?? 0);
    if (delta) byStatus[status] = delta;
  }
  return { requests: after.requests - before.requests, notModified: after.notModified - before.notModified, byStatus };
}

/** Removes this file's queues (the sync module registers them even when the test runs in-process). */
async function closeApp(app: INestApplicationContext | undefined): Promise<void> {
  if (!app) return;
  for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
  await app.close();
}

/** A Nest context with the sync services against an isolated database and the sim. */
async function startApp(env: TestEnv, sim: GithubSim): Promise<INestApplicationContext> {
  env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-sync-token' });
  const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile();
  return moduleRef.init();
}

async function createRwkvEcosystem(app: INestApplicationContext): Promise<number> {
  const ecosystems = app.get(EcosystemService);
  const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
  await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
  await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
  await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
  return ecosystem.id;
}

const pages = (items: number) => Math.max(1, Math.ceil(items / 100));

describe('GitHub sync of the RWKV ecosystem against the simulator (e2e)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: DataSource;
  let ecosystemId: number;
  let exported: ExportedRepository[];
  let firstRun: { requests: number; notModified: number; byStatus: Record<string, number> };
  let firstFailures: unknown[];

  beforeAll(async () => {
    exported = readRwkvExport();
    sim = await startRwkvSim();
    env = await createTestEnv();
    app = await startApp(env, sim);
    db = app.get(DataSource);
    ecosystemId = await createRwkvEcosystem(app);
    const before = await simStats(sim);
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: 3 });
    firstFailures = result.failures;
    firstRun = diff(await simStats(sim), before);
  });

  afterAll(async () => {
    await closeApp(app);
    await env?.teardown();
    await sim?.close();
  });

  it('stores the six repositories, every distinct default-branch commit once and the 380 pull requests', async () => {
    expect(firstFailures).toEqual([]);
    const distinctShas = new Set(exported.flatMap((repo) => repo.defaultBranchShas));
    const links = exported.reduce((sum, repo) => sum + repo.defaultBranchShas.length, 0);
    const rows = await countRows(db);
    expect(rows.repository).toBe(6);
    // RWKV-infctx-trainer shares 472 commits with RWKV-LM: a commit is one contribution
    expect(rows.git_commit).toBe(distinctShas.size);
    expect(rows.git_commit_repository).toBe(links);
    expect(rows.pull_request).toBe(380);
    const [{ commits }] = await db.query(`SELECT count(*)::int AS commits FROM activity WHERE source_key ~ '^commit:[0-9a-f]{40}$'`);
    expect(commits).toBe(distinctShas.size);
    const names: Array<{ full_name: string }> = await db.query(`SELECT full_name FROM repository ORDER BY 1`);
    expect(names.map((row) => row.full_name).sort()).toEqual(exported.map((repo) => repo.fullName).sort());
  });

  it('spends one request per page: discovery plus ⌈items/100⌉ per resource and repository, plus one "Get a pull request" per merged one', () => {
    // merged_by is only in the detail answer (GitHub Docs, "Get a pull request")
    const merged = sim.snapshot.repositories.reduce((sum, data) => sum + data.pulls.filter((pull) => pull.merged).length, 0);
    const expected = 3 + merged + exported.reduce((sum, repo) => sum + pages(repo.defaultBranchShas.length) + pages(repo.pullRequests), 0);
    expect(firstRun).toEqual({ requests: expected, notModified: 0, byStatus: { '200': expected } });
  });

  it("credits BlinkDL's noreply commits (33809201+BlinkDL@users.noreply.github.com) to one member", async () => {
    const keys = exported.flatMap((repo) =>
      [...repo.authorEmailBySha].filter(([, email]) => email === '33809201+BlinkDL@users.noreply.github.com').map(([sha]) => `commit:${sha}`),
    );
    expect(keys.length).toBeGreaterThan(100);
    const members: Array<{ member_id: string; login: string; kind: string }> = await db.query(
      `SELECT DISTINCT a.member_id, m.login, m.kind FROM activity a JOIN member m ON m.id = a.member_id WHERE a.source_key = ANY($1)`,
      [keys],
    );
    expect(members).toEqual([{ member_id: expect.any(String), login: 'BlinkDL', kind: 'person' }]);
  });

  it('makes bot authors (github-actions[bot]) bot members', async () => {
    const bots: Array<{ login: string; kind: string; commits: number }> = await db.query(
      `SELECT ga.login, m.kind, (SELECT count(*)::int FROM activity a WHERE a.member_id = m.id AND a.type = 'commit') AS commits
       FROM github_account ga JOIN member m ON m.id = ga.member_id WHERE ga.login ILIKE '%[bot]' ORDER BY 1`,
    );
    expect(bots.map((bot) => bot.login)).toContain('github-actions[bot]');
    for (const bot of bots) expect(bot.kind).toBe('bot');
    expect(bots.find((bot) => bot.login === 'github-actions[bot]')!.commits).toBeGreaterThan(0);
  });

  it('adds no rows on a second sync over unchanged data, and every request is a 304', async () => {
    const rowsBefore = await countRows(db);
    const before = await simStats(sim);
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId);
    const second = diff(await simStats(sim), before);
    expect(await countRows(db)).toEqual(rowsBefore);
    expect(result.failures).toEqual([]);
    expect(result.repositories.flatMap((repo) => repo.resources).every((resource) => resource.notModified)).toBe(true);
    // discovery (3 listings) + commits and pulls of six repositories, each one conditional request
    expect(second).toEqual({ requests: 15, notModified: 15, byStatus: { '304': 15 } });
    // the 304s are counted in the sync health (Redis), not written to sync_state
    const ids: Array<{ id: number }> = await db.query(`SELECT id::int AS id FROM repository`);
    const health = await app.get(SyncHealthService).byRepositoryIds(ids.map((row) => row.id));
    expect(health.reduce((sum, repository) => sum + repository.notModified, 0)).toBe(12);
    const [state] = await db.query(`SELECT sum(not_modified)::int AS not_modified FROM sync_state`);
    expect(state.not_modified).toBe(0);
  });

  it('resumes a sync killed after its third page from the cursor and ends with the same rows', async () => {
    const lm = exported.find((repo) => repo.fullName === 'BlinkDL/RWKV-LM')!;
    const [{ id: repositoryId }] = await db.query(`SELECT id::int AS id FROM repository WHERE full_name = 'BlinkDL/RWKV-LM'`);
    const env2 = await createTestEnv();
    const app2 = await startApp(env2, sim);
    try {
      const db2 = app2.get(DataSource);
      const ecosystems = app2.get(EcosystemService);
      await ecosystems.ensure('rwkv-lm', 'RWKV-LM only');
      await ecosystems.track('rwkv-lm', { kind: 'repository', name: 'BlinkDL/RWKV-LM' });
      await app2.get(EcosystemSyncService).syncInProcess((await ecosystems.getBySlug('rwkv-lm')).id, {
        afterPage: ({ resource, pages: written }) => {
          if (resource === 'commits' && written === 3) throw new Error('simulated crash after page 3');
        },
      });
      const [crashed] = await db2.query(`SELECT status, cursor FROM sync_state WHERE repository_id = $1 AND resource = 'commits'`, [repositoryId]);
      expect(crashed.status).toBe('failed');
      expect(crashed.cursor.pass).toMatchObject({ pages: 3, next: expect.stringContaining('page=4') });
      const [{ stored }] = await db2.query(`SELECT count(*)::int AS stored FROM git_commit_repository`);
      expect(stored).toBe(300);

      const before = await simStats(sim);
      const resumed = await app2.get(RepositorySyncService).syncRepository(repositoryId);
      const cost = diff(await simStats(sim), before);
      const commitPages = pages(lm.defaultBranchShas.length);
      expect(resumed.resources.find((resource) => resource.resource === 'commits')).toMatchObject({
        resumed: true,
        requests: commitPages - 3,
      });
      const lmMerged = sim.snapshot.repositories.find((data) => data.repository.fullName === 'BlinkDL/RWKV-LM')!.pulls.filter((pull) => pull.merged).length;
      expect(cost.requests).toBe(commitPages - 3 + pages(lm.pullRequests) + lmMerged);

      const keysOf = async (source: DataSource) => {
        const rows: Array<{ source_key: string }> = await source.query(
          `SELECT source_key FROM activity WHERE split_part(source_key, ':', 2) = ANY($1) OR source_key LIKE $2 ORDER BY 1`,
          [lm.defaultBranchShas, `pull_request:${repositoryId}:%`],
        );
        return rows.map((row) => row.source_key);
      };
      const perRepository = `SELECT (SELECT count(*) FROM git_commit_repository WHERE repository_id = $1)::int AS commits,
                                    (SELECT count(*) FROM pull_request WHERE repository_id = $1)::int AS pulls`;
      expect(await db2.query(perRepository, [repositoryId])).toEqual(await db.query(perRepository, [repositoryId]));
      expect(await keysOf(db2)).toEqual(await keysOf(db));
      const [{ commits }] = await db2.query(perRepository, [repositoryId]);
      expect(commits).toBe(lm.defaultBranchShas.length);
    } finally {
      await closeApp(app2);
      await env2.teardown();
    }
  });
});
