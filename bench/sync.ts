/**
 * GitHub sync benchmark: `npm run bench -- sync` (runs dist/bench/sync.js).
 *
 * On a fresh database (`cambrian_bench_sync` on the DATABASE_URL server, dropped, created and
 * migrated) and a fresh simulator over the real RWKV export (`../shared/data/rwkv`, or
 * CAMBRIAN_DATA_DIR), in this process through the real services (GithubSyncModule, the Redis token
 * budget, the Octokit client):
 *  1. a full sync of the RWKV ecosystem (user BlinkDL, organisation RWKV, repository
 *     josStorer/RWKV-Runner), three times, each on a new database (wall time: the median);
 *  2. an unchanged re-sync after the third, on the same database;
 *  3. a burst: BENCH_SYNC_BURST (100) requests at once through the same client, each held 250 ms by
 *     the sim, as many workers would send them — the budget must keep the token at
 *     GITHUB_MAX_CONCURRENCY in flight, so the sim's secondary limit never answers.
 *
 * The simulator runs with a budget far above the sync's needs and GitHub's secondary limit on
 * concurrent requests set to the client's default concurrency (GITHUB_MAX_CONCURRENCY, 10): a
 * request arriving while 10 of the token's are in flight is answered 403 "secondary rate limit".
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr):
 *  - `requests_first_sync`: requests the sim answered during the first full sync;
 *  - `requests_minimum` = Σ over every distinct listing L the sync asked for (a path with its
 *    query, `page`/`per_page` left out) of max(1, ⌈items(L) / 100⌉), plus 1 per non-list request
 *    (an explicitly tracked repository), plus 1 "Get a pull request" per merged pull request of
 *    each repository whose pull requests were listed (`merged_by` is only in the detail answer;
 *    GitHub requires nothing for open or unmerged ones, so detail requests for them are not in the
 *    minimum). items(L) comes from the sim: its last page at `per_page=100` (`Link: rel="last"`);
 *    merged pull requests from its pull request listing (`merged_at` set). Discovery listings
 *    (`/orgs/RWKV/repos`, `/users/BlinkDL/repos`) are listings like any other, so they are in the sum;
 *  - `requests_per_minimum` = requests_first_sync / requests_minimum (goal ≤ 1.10);
 *  - `share_304`: 304 answers / requests in the unchanged re-sync (goal ≥ 0.95);
 *  - `rows_written_resync`: Σ n_tup_ins + n_tup_upd + n_tup_del of pg_stat_user_tables over the
 *    re-sync (read after the application's connections have closed, so their statistics are
 *    flushed; pg_stat_force_next_flush() and pg_stat_clear_snapshot() in the reading session), with
 *    the tables that changed (goal 0);
 *  - `secondary_limit_errors`: 403/429 secondary-limit answers over every run and the burst (goal 0);
 *    `max_in_flight_*`: the most requests of the token the sim saw in flight at once;
 *  - `wall_ms_first_sync_median` (and the three runs).
 *
 * Environment: DATABASE_URL, REDIS_URL (defaults: local), CAMBRIAN_DATA_DIR, BENCH_SYNC_RUNS (3),
 * BENCH_SYNC_REPOSITORY_CONCURRENCY (repositories synced at once, default 6: all of them).
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule, configSchema, loadConfig } from '#libs/config';
import { DatabaseModule, databaseUrlFor, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import {
  EcosystemService,
  ALL_REPOSITORY_RESOURCES,
  EcosystemSyncService,
  GITHUB_CLIENT,
  GITHUB_TOKEN_BUDGET,
  GithubSyncModule,
  SyncHealthCache,
  type EcosystemSyncResult,
  type GithubClient,
  type RedisTokenBudget,
} from '#libs/github';
import { QueueName } from '#libs/queue';
import { projectRoot } from '../apps/github-sim/src/main.js';
import { createGithubSim, type GithubSim } from '../apps/github-sim/src/server.js';
import type { LoggedRequest, RequestLogSnapshot } from '../apps/github-sim/src/http/request-log.js';
import type { SimStatsSnapshot } from '../apps/github-sim/src/http/sim-stats.js';
import { loadSnapshot } from '../apps/github-sim/src/seed/build-snapshot.js';
import { round } from './lib/stats.js';

const DATABASE = 'cambrian_bench_sync';
const QUEUE_PREFIX = 'cambrian-bench-sync';
const TOKEN = 'bench-sync-token';
const RUNS = Number(process.env.BENCH_SYNC_RUNS ?? 3);
const REPOSITORY_CONCURRENCY = Number(process.env.BENCH_SYNC_REPOSITORY_CONCURRENCY ?? 6);
const BURST = Number(process.env.BENCH_SYNC_BURST ?? 100);
const PER_PAGE = 100;
const PAGING_PARAMS = ['page', 'per_page', 'after', 'before'];
/** "Get a pull request": `/repos/{owner}/{repo}/pulls/{number}`. */
const PULL_DETAIL = /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+(\?|$)/;
/** "List pull requests" as the sync asks for it: `/repos/{owner}/{repo}/pulls` with `state=all`. */
const PULL_LIST = /^\/repos\/([^/]+\/[^/]+)\/pulls(\?|$)/;

const log = (message: string) => console.error(`[bench sync] ${message}`);

@Module({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] })
class BenchSyncModule {}

/** Sim counters over one phase. */
interface Phase {
  requests: number;
  notModified: number;
  byStatus: Record<string, number>;
  secondaryLimited: number;
  log: LoggedRequest[];
  maxInFlight: number;
}

async function main(): Promise<void> {
  const defaults = loadConfig();
  const defaultConcurrency = configSchema.shape.GITHUB_MAX_CONCURRENCY.parse(undefined);
  const databaseUrl = new URL(databaseUrlFor(defaults.DATABASE_URL, DATABASE));
  const dataDir = resolve(projectRoot(), process.env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
  log(`loading the RWKV export from ${dataDir}`);
  const snapshot = await loadSnapshot(dataDir);
  const sim = await createGithubSim({
    snapshot,
    port: 0,
    rateLimit: { limit: 1_000_000 },
    secondaryLimit: { maxConcurrent: defaultConcurrency, retryAfterSeconds: 60 },
  });
  log(`sim at ${sim.url}; secondary limit at ${defaultConcurrency} concurrent requests per token; client GITHUB_MAX_CONCURRENCY ${defaultConcurrency}`);
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl.toString(),
    QUEUE_PREFIX,
    GITHUB_API_URL: sim.url,
    GITHUB_TOKEN: TOKEN,
    GITHUB_MAX_CONCURRENCY: String(defaultConcurrency),
    LOG_LEVEL: 'error',
  });

  try {
    const walls: number[] = [];
    let first: Phase | undefined;
    let firstResult: EcosystemSyncResult | undefined;
    let secondaryLimitErrors = 0;
    let ecosystemId = 0;
    for (let run = 1; run <= RUNS; run += 1) {
      await recreateDatabase(databaseUrl.toString(), secretBoxFromConfig(defaults));
      await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
      const app = await startApp();
      try {
        await app.get(SyncHealthCache).clear(); // a new database: no health of an earlier one
        ecosystemId = await createRwkvEcosystem(app);
        const before = await readSim(sim);
        const started = performance.now();
        const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: REPOSITORY_CONCURRENCY, resources: ALL_REPOSITORY_RESOURCES });
        const wall = performance.now() - started;
        const phase = diff(await readSim(sim), before);
        walls.push(wall);
        secondaryLimitErrors += phase.secondaryLimited;
        if (result.failures.length) throw new Error(`run ${run}: ${result.failures.length} repositories failed: ${JSON.stringify(result.failures)}`);
        log(
          `first sync, run ${run}/${RUNS}: ${Math.round(wall)} ms, ${phase.requests} requests (${JSON.stringify(phase.byStatus)}), ` +
            `${result.repositories.length} repositories, ${result.progress.commits} commits, ${result.progress.pullRequests} pull requests, peak ${phase.maxInFlight} in flight`,
        );
        if (run === 1) {
          first = phase;
          firstResult = result;
        }
      } finally {
        await closeApp(app, run === RUNS ? false : true);
      }
    }

    // unchanged re-sync on the last run's database
    const rowsBefore = await tableWrites(databaseUrl.toString());
    const resyncApp = await startApp();
    let resync: Phase;
    let resyncWall: number;
    try {
      const before = await readSim(sim);
      const started = performance.now();
      const result = await resyncApp.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: REPOSITORY_CONCURRENCY, resources: ALL_REPOSITORY_RESOURCES });
      resyncWall = performance.now() - started;
      resync = diff(await readSim(sim), before);
      secondaryLimitErrors += resync.secondaryLimited;
      if (result.failures.length) throw new Error(`re-sync: ${result.failures.length} repositories failed`);
    } finally {
      await closeApp(resyncApp, true);
    }
    const rowsAfter = await tableWrites(databaseUrl.toString());
    const changedTables = Object.fromEntries(
      Object.entries(rowsAfter)
        .map(([table, count]) => [table, count - (rowsBefore[table] ?? 0)] as const)
        .filter(([, delta]) => delta !== 0),
    );
    const rowsWritten = Object.values(changedTables).reduce((sum, delta) => sum + delta, 0);
    log(`unchanged re-sync: ${Math.round(resyncWall)} ms, ${resync.requests} requests, ${resync.notModified} × 304, rows written ${rowsWritten} ${JSON.stringify(changedTables)}`);

    // burst: many requests at once, through the budget
    const burstApp = await startApp();
    let burst: Phase;
    try {
      const client = burstApp.get<GithubClient>(GITHUB_CLIENT);
      sim.faults.add({ kind: 'delay', count: BURST, delayMs: 250, pathPrefix: '/repos/BlinkDL/RWKV-LM/commits' });
      const before = await readSim(sim);
      await Promise.all(
        Array.from({ length: BURST }, (_, index) =>
          client.request('GET /repos/{owner}/{repo}/commits', { owner: 'BlinkDL', repo: 'RWKV-LM', per_page: 1, page: index + 1 }),
        ),
      );
      burst = diff(await readSim(sim), before);
      secondaryLimitErrors += burst.secondaryLimited;
    } finally {
      sim.faults.clear();
      await closeApp(burstApp, true);
    }
    log(`burst: ${burst.requests} requests at once, peak ${burst.maxInFlight} in flight, ${burst.secondaryLimited} secondary-limit answers`);

    const minimum = await requestsMinimum(sim, first!.log);
    for (const line of minimum.lines) log(`  minimum: ${line}`);
    log(
      `requests minimum ${minimum.total} (Σ max(1, ⌈items/100⌉) over ${minimum.listings} listings + ${minimum.singles} single GETs ` +
        `+ ${minimum.pullDetails} merged pull requests' details)`,
    );
    const sortedWalls = [...walls].sort((a, b) => a - b);
    const result = {
      benchmark: 'sync',
      repositories: firstResult!.repositories.length,
      commits: firstResult!.progress.commits,
      pull_requests: firstResult!.progress.pullRequests,
      requests_first_sync: first!.requests,
      requests_minimum: minimum.total,
      requests_minimum_formula:
        'Σ over distinct listings (path+query without page/per_page) max(1, ceil(items/100)) + 1 per non-list GET + 1 per merged pull request (Get a pull request, for merged_by); items from the sim at per_page=100',
      requests_pull_details_first_sync: first!.log.filter((entry) => PULL_DETAIL.test(entry.url)).length,
      requests_pull_details_minimum: minimum.pullDetails,
      requests_per_minimum: round(first!.requests / minimum.total, 3),
      requests_resync: resync.requests,
      not_modified_resync: resync.notModified,
      share_304: round(resync.notModified / Math.max(1, resync.requests), 3),
      rows_written_resync: rowsWritten,
      rows_written_resync_by_table: changedTables,
      secondary_limit_errors: secondaryLimitErrors,
      sim_secondary_limit_max_concurrent: defaultConcurrency,
      github_max_concurrency: defaultConcurrency,
      max_in_flight_first_sync: first!.maxInFlight,
      burst_requests: burst.requests,
      max_in_flight_burst: burst.maxInFlight,
      repository_concurrency: REPOSITORY_CONCURRENCY,
      wall_ms_first_sync_runs: walls.map((wall) => Math.round(wall)),
      wall_ms_first_sync_median: Math.round(sortedWalls[Math.floor(sortedWalls.length / 2)]),
      wall_ms_resync: Math.round(resyncWall),
      goals: {
        requests_per_minimum_max: 1.1,
        share_304_min: 0.95,
        rows_written_resync: 0,
        secondary_limit_errors: 0,
      },
    };
    console.log(JSON.stringify(result));
  } finally {
    await sim.close();
  }
}

async function startApp(): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(BenchSyncModule, { logger: ['error'] });
}

/** Closes the context; the last time, also removes the bench's queues and budget keys from Redis. */
async function closeApp(app: INestApplicationContext, cleanUp: boolean): Promise<void> {
  if (cleanUp) {
    await app.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
    await app.get(SyncHealthCache).clear(); // sync health of this database's repositories
    for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
  }
  await app.close();
}

async function createRwkvEcosystem(app: INestApplicationContext): Promise<number> {
  const ecosystems = app.get(EcosystemService);
  const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
  await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
  await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
  await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
  return ecosystem.id;
}

async function readSim(sim: GithubSim): Promise<{ stats: SimStatsSnapshot; requests: RequestLogSnapshot }> {
  const [stats, requests] = await Promise.all([
    fetch(`${sim.url}/_sim/stats`).then((response) => response.json() as Promise<SimStatsSnapshot>),
    fetch(`${sim.url}/_sim/requests`).then((response) => response.json() as Promise<RequestLogSnapshot>),
  ]);
  return { stats, requests };
}

function diff(after: { stats: SimStatsSnapshot; requests: RequestLogSnapshot }, before: { stats: SimStatsSnapshot; requests: RequestLogSnapshot }): Phase {
  const byStatus: Record<string, number> = {};
  for (const [status, count] of Object.entries(after.stats.byStatus)) {
    const delta = count - (before.stats.byStatus[status] ?? 0);
    if (delta) byStatus[status] = delta;
  }
  const entries = after.requests.requests.slice(before.requests.requests.length).filter((entry) => entry.client === TOKEN);
  return {
    requests: after.stats.requests - before.stats.requests,
    notModified: after.stats.notModified - before.stats.notModified,
    byStatus,
    // 403/429 answers: the sim's only secondary limit here is the one on concurrent requests
    secondaryLimited: (byStatus['403'] ?? 0) + (byStatus['429'] ?? 0),
    log: entries,
    maxInFlight: Math.max(0, ...entries.map((entry) => entry.inFlight)),
  };
}

/** The listing a request belongs to: its path and query without the paging parameters. */
function listingKey(url: string): string {
  const parsed = new URL(url, 'http://sim');
  for (const name of PAGING_PARAMS) parsed.searchParams.delete(name);
  parsed.searchParams.sort();
  return `${parsed.pathname}${parsed.search}`;
}

/**
 * requests_minimum (see the file comment): every distinct listing the sync asked for costs
 * max(1, ⌈items/100⌉); a single-resource GET costs 1. A request is a listing when the sim
 * answers an array for it.
 */
async function requestsMinimum(
  sim: GithubSim,
  requests: LoggedRequest[],
): Promise<{ total: number; listings: number; singles: number; pullDetails: number; lines: string[] }> {
  const keys = [...new Set(requests.filter((request) => !PULL_DETAIL.test(request.url)).map((request) => listingKey(request.url)))].sort();
  const listedPulls = [...new Set(requests.map((request) => PULL_LIST.exec(request.url)?.[1]).filter((name): name is string => !!name))];
  let pullDetails = 0;
  for (const repository of listedPulls) pullDetails += await countMergedPulls(sim, repository);
  let total = pullDetails;
  let listings = 0;
  let singles = 0;
  const byFamily = new Map<string, { keys: number; minimum: number; items: number }>();
  for (const key of keys) {
    const items = await countItems(sim, key);
    const cost = items === null ? 1 : Math.max(1, Math.ceil(items / PER_PAGE));
    total += cost;
    if (items === null) singles += 1;
    else listings += 1;
    const family = new URL(key, 'http://sim').pathname.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}').replace(/^\/(orgs|users)\/[^/]+/, '/$1/{name}');
    const entry = byFamily.get(family) ?? { keys: 0, minimum: 0, items: 0 };
    entry.keys += 1;
    entry.minimum += cost;
    entry.items += items ?? 0;
    byFamily.set(family, entry);
  }
  const actualByFamily = new Map<string, number>();
  for (const request of requests) {
    const family = new URL(request.url, 'http://sim').pathname.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}').replace(/^\/(orgs|users)\/[^/]+/, '/$1/{name}');
    actualByFamily.set(family, (actualByFamily.get(family) ?? 0) + 1);
  }
  const lines = [...byFamily].map(
    ([family, entry]) => `${family}: ${entry.keys} target(s), ${entry.items} list items → minimum ${entry.minimum}, spent ${actualByFamily.get(family) ?? 0}`,
  );
  lines.push(
    `/repos/{owner}/{repo}/pulls/{number}: ${pullDetails} merged pull requests → minimum ${pullDetails}, ` +
      `spent ${requests.filter((request) => PULL_DETAIL.test(request.url)).length}`,
  );
  return { total, listings, singles, pullDetails, lines };
}

/** Items of a listing, read from the sim at per_page=100 (last page number and size); null when the answer is not a list. */
async function countItems(sim: GithubSim, key: string): Promise<number | null> {
  const url = new URL(key, sim.url);
  url.searchParams.set('per_page', String(PER_PAGE));
  // an admin-free token of its own, so the counting does not show up in the benchmark's figures
  const headers = { authorization: 'token bench-sync-counter' };
  const first = await fetch(url, { headers });
  if (!first.ok) return null;
  const body = (await first.json()) as unknown;
  if (!Array.isArray(body)) return null;
  const last = /<([^>]+)>;\s*rel="last"/.exec(first.headers.get('link') ?? '')?.[1];
  if (!last) return body.length;
  const lastPage = Number(new URL(last).searchParams.get('page'));
  const tail = (await (await fetch(last, { headers })).json()) as unknown[];
  return (lastPage - 1) * PER_PAGE + tail.length;
}

/** Merged pull requests of `owner/name`, read from the sim's pull request listing (every state, every page). */
async function countMergedPulls(sim: GithubSim, repository: string): Promise<number> {
  const headers = { authorization: 'token bench-sync-counter' };
  let merged = 0;
  for (let page = 1; ; page += 1) {
    const response = await fetch(`${sim.url}/repos/${repository}/pulls?state=all&per_page=${PER_PAGE}&page=${page}`, { headers });
    if (!response.ok) return merged;
    const pulls = (await response.json()) as Array<{ merged_at: string | null }>;
    merged += pulls.filter((pull) => pull.merged_at).length;
    if (pulls.length < PER_PAGE) return merged;
  }
}

/** Σ n_tup_ins + n_tup_upd + n_tup_del per table, once every other session's statistics are flushed. */
async function tableWrites(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // closed backends flush their statistics on exit; give them a moment, then read a fresh snapshot
    await new Promise((resolve) => setTimeout(resolve, 500));
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ relname: string; writes: string }>(
      'SELECT relname, (n_tup_ins + n_tup_upd + n_tup_del)::bigint AS writes FROM pg_stat_user_tables',
    );
    return Object.fromEntries(rows.map((row) => [row.relname, Number(row.writes)]));
  } finally {
    await client.end();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench sync] failed:', error);
    process.exit(1);
  },
);
