import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, GithubSyncModule, RepositoryDiscoveryService, RepositorySyncService } from '#libs/github';
import { QueueName } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { installRowWriteCounter } from '../helpers/row-write-counter.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const TOKEN = 'e2e-adversarial-restart-token';
const REPOSITORY = 'BlinkDL/RWKV-LM'; // 903 default-branch commits: ten pages
const CLI = 'dist/apps/cli/src/main.js'; // `npm run build` first, as for the demo test

async function requestLog(sim: GithubSim): Promise<LoggedRequest[]> {
  const snapshot = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot;
  return snapshot.requests.filter((request) => request.client === TOKEN);
}

/** Polls `check` every 50 ms until it returns true; fails after `limitMs` (a bound, not a timing assertion). */
async function until(check: () => Promise<boolean>, limitMs: number, what: string): Promise<void> {
  for (const start = Date.now(); !(await check()); ) {
    if (Date.now() - start > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a sync process killed with SIGKILL mid-listing (e2e, `cambrian sync --wait` child against the sim)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let repositoryId: number;
  let child: ChildProcess | undefined;
  let childOutput = '';

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0 });
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: TOKEN, GITHUB_WAIT_MS_PER_SECOND: '1', LOG_LEVEL: 'warn' });
    app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    db.on('error', () => undefined);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('killed', 'Killed mid-sync');
    await ecosystems.track('killed', { kind: 'repository', name: REPOSITORY });
    await app.get(RepositoryDiscoveryService).discover(ecosystem.id);
    repositoryId = (await db.query(`SELECT id::int AS id FROM repository`)).rows[0].id as number;
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await db?.end();
    await env?.teardown();
    sim?.faults.clear();
    await sim?.close();
  });

  it('resumes from the cursor the killed process saved: every commit once, no duplicate activity; an unchanged re-sync then gets only 304s and writes no row', async () => {
    const commitsPath = `/repos/${REPOSITORY}/commits`;
    // the first two commit pages are served at once; the third is held, so the process is killed
    // with page 2 saved and page 3 in flight
    sim.faults.add({ kind: 'delay', delayMs: 0, count: 2, pathPrefix: commitsPath });
    sim.faults.add({ kind: 'delay', delayMs: 5_000, count: 1, pathPrefix: commitsPath });
    child = spawn(process.execPath, [CLI, 'sync', 'killed', '--wait', '--concurrency', '1'], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (childOutput += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (childOutput += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child!.on('exit', (_code, signal) => resolve(signal)));
    const pagesSaved = async () =>
      ((await db.query(`SELECT cursor FROM sync_state WHERE repository_id = $1 AND resource = 'commits'`, [repositoryId])).rows[0]?.cursor?.pass
        ?.pages ?? 0) as number;
    await until(async () => (await pagesSaved()) === 2 || child!.exitCode !== null, 60_000, `page 2 saved (child output: ${childOutput})`);
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const [killed] = (await db.query(`SELECT status, cursor FROM sync_state WHERE repository_id = $1 AND resource = 'commits'`, [repositoryId]))
      .rows as Array<{ status: string; cursor: { pass: { next: string; pages: number } } }>;
    expect(killed).toMatchObject({ status: 'running', cursor: { pass: { pages: 2, next: expect.stringContaining('page=3') } } });

    const data = sim.snapshot.repositories.find((repository) => repository.repository.fullName === REPOSITORY)!;
    const shas = new Set(data.defaultBranchCommits.map((commit) => commit.sha));
    const before = (await requestLog(sim)).length;
    // the killed process's advisory lock went with its connection: this run is not skipped
    const resumed = await app.get(RepositorySyncService).syncRepository(repositoryId, { resources: ALL_REPOSITORY_RESOURCES });
    expect(resumed.skipped).toBeUndefined();
    const commits = resumed.resources.find((resource) => resource.resource === 'commits')!;
    expect(commits).toMatchObject({ resumed: true, requests: Math.ceil(shas.size / 100) - 2 });
    const commitRequests = (await requestLog(sim)).slice(before).filter((request) => request.url.startsWith(commitsPath));
    expect(commitRequests.some((request) => /[?&]page=[12](&|$)/.test(request.url))).toBe(false);

    const [{ stored }] = (await db.query(`SELECT count(*)::int AS stored FROM git_commit_repository WHERE repository_id = $1`, [repositoryId])).rows;
    expect(stored).toBe(shas.size);
    const [{ duplicates }] = (
      await db.query(`SELECT count(*)::int AS duplicates FROM (SELECT source_key FROM activity GROUP BY 1 HAVING count(*) > 1) d`)
    ).rows;
    expect(duplicates).toBe(0);
    const states = (await db.query(`SELECT resource, status FROM sync_state WHERE repository_id = $1 ORDER BY 1`, [repositoryId])).rows;
    expect(states.filter((row: { status: string }) => row.status !== 'idle')).toEqual([]);

    const counter = await installRowWriteCounter(db);
    const again = (await requestLog(sim)).length;
    const unchanged = await app.get(RepositorySyncService).syncRepository(repositoryId, { resources: ALL_REPOSITORY_RESOURCES });
    expect(unchanged.resources.every((resource) => resource.activitiesInserted === 0)).toBe(true);
    const statuses = (await requestLog(sim)).slice(again).map((request) => request.status);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 304)).toEqual([]);
    expect(await counter.read()).toEqual({});
  }, 300_000);
});
