/**
 * Members benchmark: `npm run bench -- members` (runs dist/bench/members.js).
 *
 * On a dedicated database (`cambrian_bench_members` on the DATABASE_URL server, dropped, created
 * and migrated):
 *  1. identity resolution of the whole RWKV snapshot (`../shared/data/rwkv`, or CAMBRIAN_DATA_DIR)
 *     from scratch: every distinct commit of the six repositories mapped as the sync maps it
 *     (`mapCommit` over the simulator's rendering: author, linked account, co-authors), resolved
 *     by BulkIdentityResolver in batches of 10,000 actors with `historicalLogins` as the GH Archive
 *     import uses it, on empty identity tables; BENCH_RUNS runs (median), against one run of
 *     IdentityService.resolveMany (the per-actor path webhooks use) as the baseline;
 *  2. the RWKV ecosystem synced for real (simulator, in-process sync of every resource), so the
 *     leaderboard has the real people and bots (github-actions[bot], dependabot[bot] in
 *     RWKV-Runner) to rank or leave out;
 *  3. BENCH_MEMBERS (100,000) generated members, 1% of them bots, with a GitHub account and
 *     identity each, and BENCH_ACTIVITIES (1,000,000) generated activities in the six
 *     repositories over the 730 days before the current hour, in time order as they would arrive
 *     (seed BENCH_SEED, mulberry32; member ⌊N·r^7⌋ for uniform r, so the top 1% of members make
 *     about half of the activities and the top 20% about 80%: a long tail of occasional
 *     contributors), loaded with COPY (the rollup triggers run on it as on any insert);
 *  4. three api processes (apps/api from dist, each in its own process, in production mode), one
 *     with DataLoaders, one with GRAPHQL_DATALOADERS=off (both with the leaderboard and funnel caches), one with
 *     DataLoaders, LEADERBOARD_CACHE_SECONDS=0 and FUNNEL_CACHE_SECONDS=0; autocannon in this process with 10
 *     connections for BENCH_SECONDS (3) per run, BENCH_RUNS (3) runs per figure (medians), after
 *     a warm-up run.
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr):
 *  - `leaderboard_p95_ms`: GraphQL `leaderboard` (default window, the last 30 days; top 10 with
 *    counts and member) p95 at concurrency 10, with the leaderboard cache (LEADERBOARD_CACHE_SECONDS
 *    default; warm, steady state: nothing is written meanwhile, so it measures hits);
 *    `leaderboard_uncached_p95_ms`: the same on a third api process with LEADERBOARD_CACHE_SECONDS=0
 *    (every request ranks); `leaderboard_365d_sequential_median_ms`: uncached, over 365 days, one
 *    request at a time (median of 5);
 *  - `leaderboard_sql_p95_ms`: the SQL LeaderboardService sends for that query (captured from the
 *    service), run directly with node-postgres at concurrency 10 (10 connections);
 *    `graphql_overhead_p95_ms` = leaderboard_uncached_p95_ms − leaderboard_sql_p95_ms (GraphQL over
 *    the same SQL; the runs of the two alternate, so both meet the same load from the rest of the
 *    machine). At concurrency 10 on two cores a request mostly waits for a core: the api process's
 *    own CPU per request (parse, validate, execute, serialise) comes back multiplied by the queue,
 *    so this difference is not the per-request cost; the per-request figures below are;
 *  - `leaderboard_raw_sql_p95_ms`: baseline, the previous plan (GROUP BY over the activity table)
 *    for the same window, at concurrency 10; `rollup_speedup` = raw / rollup SQL p95;
 *  - `funnel_p95_ms`: GraphQL `funnel(ecosystem: "rwkv")` p95 at concurrency 10, and `funnel_non_paying_p95_ms` with
 *    `nonPayingOnly: true`, with the funnel cache (FUNNEL_CACHE_SECONDS default; warm, nothing written meanwhile:
 *    hits); `funnel_uncached_p95_ms` / `funnel_non_paying_uncached_p95_ms`: the same on the process with
 *    FUNNEL_CACHE_SECONDS=0 (every request computes; the run stops if the two processes' counts differ).
 *    They read stored stages, evaluated from scratch for every member after
 *    the COPY (StageService.recomputeEcosystem; COPY bypasses the activity path that evaluates them):
 *    `funnel_members_entered` says how many members the funnel counted (the run stops if none);
 *  - `identity_commits_per_s` (median), `identity_baseline_commits_per_s`, `identity_speedup`;
 *  - `dataloader_on_rps` / `dataloader_off_rps` on a 50-row leaderboard of the last 24 hours with nested
 *    fields (member identities, 3 recent activities each with their repository; the short window keeps
 *    the ranking, which both arms pay alike, from hiding the nested fields), BENCH_NESTED_REQUESTS (60)
 *    requests per run over 10 connections, `dataloader_ratio` = on / off;
 *  - GraphQL's overhead request by request (the goal: ≤ 5 ms p95). The uncached api runs with SERVER_TIMING=on, so
 *    each answer says how long its own statements took in the api; a request's overhead is its latency (node:http,
 *    keep-alive) less that time. `graphql_overhead_per_request_p50_ms` / `_p95_ms`: BENCH_PAIRS (201) requests one
 *    at a time; `graphql_overhead_in_api_p95_ms`: the same within the api (its Server-Timing total less its
 *    statements: parse, validate, execute, serialise); `leaderboard_sql_in_api_sequential_median_ms`: the
 *    statements' median in the api, beside `leaderboard_sql_sequential_median_ms` (the same SQL run directly):
 *    the SQL the api times is the SQL the other figures run. `graphql_overhead_per_request_c10_p50_ms` / `_p95_ms`
 *    and `graphql_overhead_in_api_c10_p95_ms`: the same at concurrency 10 (medians of BENCH_RUNS runs), where
 *    the wait for the api process and for a core is part of each request's overhead;
 *  - CPU time per request at concurrency 10 (from /proc, so the machine's load does not inflate it; one at a
 *    time the api's idle-time work between requests would be charged to them): `api_cpu_ms_per_request_c10`,
 *    `postgres_cpu_ms_per_request_c10` (every backend of the database) and `client_cpu_ms_per_request_c10`
 *    (this process), against `postgres_cpu_ms_per_query_c10_sql_directly` and `client_cpu_ms_per_query_c10_sql_directly`;
 *    `extra_cpu_ms_per_request_c10` (GraphQL's total less the SQL's) and `predicted_overhead_c10_p50_ms` =
 *    10 × extra ÷ `cores`: with the cores saturated a closed loop's latency is connections ÷ throughput, so
 *    what GraphQL adds at concurrency 10 is its extra CPU multiplied by the queue, whatever the api's speed
 *    one request at a time;
 *  - `graphql_overhead_sequential_median_ms`: the difference of the medians one at a time;
 *    `graphql_overhead_paired_median_ms` / `_p95_ms`: the median and p95 of the per-request differences
 *    between each GraphQL request and the SQL run directly right after it (two independent samples, so
 *    their difference carries the SQL's own variation twice);
 *  - `bots_in_leaderboard`: bots or the deleted sentinel among the top 100 of all time (goal 0).
 *
 * Environment: DATABASE_URL, REDIS_URL (defaults: local), CAMBRIAN_DATA_DIR, BENCH_MEMBERS,
 * BENCH_ACTIVITIES, BENCH_SEED, BENCH_SECONDS, BENCH_RUNS, BENCH_PAIRS, BENCH_MEMBERS_REUSE=1 (query figures only, on the previous
 * run's database with pending migrations applied: no identity resolution, sync or generation; both runs need the same
 * CAMBRIAN_SECRETS_KEY of your own, since the api runs in production mode, where the public development key is refused).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import autocannon from 'autocannon';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { ConfigModule, loadConfig } from '#libs/config';
import { DatabaseModule, databaseUrlFor, erasureKeyOptions, loadErasureKey, recreateDatabase, runMigrations } from '#libs/db';
import {
  ALL_REPOSITORY_RESOURCES,
  EcosystemService,
  EcosystemSyncService,
  GITHUB_TOKEN_BUDGET,
  GithubSyncModule,
  mapCommit,
  type RedisTokenBudget,
  type RestCommit,
} from '#libs/github';
import {
  BulkIdentityResolver,
  IdentityService,
  LEADERBOARD_COUNTS,
  LeaderboardService,
  RepositoryQueryService,
  StageRulesService,
  StageService,
  SCORED_ACTIVITY_TYPES,
  type ActorRef,
  type LeaderboardCountName,
} from '#libs/members';
import { QueueName } from '#libs/queue';
import { projectRoot } from '../apps/github-sim/src/main.js';
import { renderCommit } from '../apps/github-sim/src/render/render-commit.js';
import { createGithubSim } from '../apps/github-sim/src/server.js';
import { loadSnapshot } from '../apps/github-sim/src/seed/build-snapshot.js';
import type { Snapshot } from '../apps/github-sim/src/seed/snapshot.types.js';
import { seededRandom } from '../test/helpers/seeded-random.js';
import { startBenchServer, type BenchServer } from './lib/bench-server.js';
import { cpuSeconds } from './lib/process-usage.js';
import { TimedGraphqlClient, type TimedAnswer } from './lib/timed-graphql.js';
import { productionSecrets } from './lib/production-secrets.js';
import { median, percentile, round } from './lib/stats.js';

const DATABASE = 'cambrian_bench_members';
const QUEUE_PREFIX = 'cambrian-bench-members';
const TOKEN = 'bench-members-token';
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 100_000);
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 1_000_000);
const SEED = Number(process.env.BENCH_SEED ?? 20261129);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const CONNECTIONS = 10;
/** BENCH_MEMBERS_REUSE=1: measure the queries on the database a previous run left (pending migrations applied; no identity figures). */
const REUSE = process.env.BENCH_MEMBERS_REUSE === '1';
/** Requests per DataLoader on / off run. */
const NESTED_REQUESTS = Number(process.env.BENCH_NESTED_REQUESTS ?? 60);
/** GraphQL requests (each followed by its SQL run directly) of the one-at-a-time overhead figures. */
const PAIRS = Number(process.env.BENCH_PAIRS ?? 201);
const IDENTITY_BATCH = 10_000;
/** The funnel of the RWKV ecosystem up to now (every member whose stages were evaluated). */
const FUNNEL_QUERY = `{ funnel(ecosystem: "rwkv") { from to entered lapsed steps { stage reached current conversionToNext } } }`;
const DAYS = 730;
const DAY_MS = 86_400_000;
/** Activity types of the generated history and their weights. */
const MIX: Array<[type: string, weight: number]> = [
  ['commit', 34],
  ['issue_comment', 18],
  ['pull_request_opened', 9],
  ['pull_request_merged', 6],
  ['review', 8],
  ['review_comment', 6],
  ['issue_opened', 7],
  ['issue_closed', 3],
  ['star', 6],
  ['fork', 3],
];

const log = (message: string) => console.error(`[bench members] ${message}`);

/** A deterministic UUID (version 4 layout) for generated row `n` of `kind`. */
function uuidFor(kind: number, n: number): string {
  const hex = (kind * 0x1000000 + n).toString(16).padStart(12, '0');
  return `b0000000-0000-4000-8000-${hex}`;
}

@Module({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] })
class BenchMembersModule {}

/** Latencies (ms) and throughput of one load run. */
interface LoadRun {
  p50: number;
  p95: number;
  rps: number;
  requests: number;
}

/** Startup options of the bench's own connections: the erasure key, as Cambrian's connections have it (set by main). */
let sessionOptions = '';

async function main(): Promise<void> {
  const loadStart = round(loadavg()[0], 2);
  const defaults = loadConfig();
  const databaseUrl = databaseUrlFor(defaults.DATABASE_URL, DATABASE);
  const dataDir = resolve(projectRoot(), process.env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
  log(`loading the RWKV export from ${dataDir}`);
  const snapshot = await loadSnapshot(dataDir);
  // the api processes run in production mode, as deployed, which needs a secrets key of its own
  // (the caller's CAMBRIAN_SECRETS_KEY, else one for this run); this process opens the database with it too
  const secrets = productionSecrets(defaults);
  if (REUSE) {
    if (!process.env.CAMBRIAN_SECRETS_KEY || secrets.env.CAMBRIAN_SECRETS_KEY !== process.env.CAMBRIAN_SECRETS_KEY.trim()) {
      throw new Error(
        'BENCH_MEMBERS_REUSE=1 reopens the database of a previous run, sealed under that run\'s secrets key: set CAMBRIAN_SECRETS_KEY ' +
          'to a key of your own (openssl rand -base64 32) for both runs',
      );
    }
    const { applied } = await runMigrations(databaseUrl, secrets.box);
    log(`reusing ${DATABASE} (BENCH_MEMBERS_REUSE=1): no identity resolution, sync or generation${applied.length ? `; applied ${applied.join(', ')}` : ''}`);
  } else {
    await recreateDatabase(databaseUrl, secrets.box);
  }
  sessionOptions = erasureKeyOptions(await loadErasureKey(databaseUrl, secrets.box));
  // rate limits off: the load comes from one address, and the figures are the api's, not its limits'
  Object.assign(process.env, {
    ...secrets.env,
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX,
    LOG_LEVEL: 'error',
    RATE_LIMIT_GRAPHQL_PER_IP: 'off',
    RATE_LIMIT_GRAPHQL_PER_TOKEN: 'off',
  });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: CONNECTIONS, options: sessionOptions });
  const servers: BenchServer[] = [];
  try {
    const identity = REUSE ? { commits: 0, actors: 0, rates: [NaN], baseline: NaN } : await identityResolution(databaseUrl, pool, snapshot);
    const rwkv = REUSE ? { ...(await existingCounts(pool)), activities: NaN } : await syncRwkv(snapshot);
    const generated = REUSE ? await existingCounts(pool) : await generateHistory(pool);
    if (!REUSE) await evaluateStages(databaseUrl);

    // production mode, as deployed (graphql-js, Apollo and Fastify skip their development checks)
    const env = { ...process.env, NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: randomBytes(24).toString('base64url'), DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' };
    const withLoaders = await startBenchServer('api', { ...env, GRAPHQL_DATALOADERS: 'on' });
    servers.push(withLoaders);
    const withoutLoaders = await startBenchServer('api', { ...env, GRAPHQL_DATALOADERS: 'off' });
    servers.push(withoutLoaders);
    // Server-Timing on: each answer says how long its statements took in the api (the per-request overhead figures)
    const withoutCache = await startBenchServer('api', {
      ...env,
      GRAPHQL_DATALOADERS: 'on',
      LEADERBOARD_CACHE_SECONDS: '0',
      FUNNEL_CACHE_SECONDS: '0',
      SERVER_TIMING: 'on',
    });
    servers.push(withoutCache);
    const graphql = `${withLoaders.url}/graphql`;
    const graphqlUncached = `${withoutCache.url}/graphql`;

    const bots = await botsInLeaderboard(graphql);
    log(`bots or the deleted sentinel in the all-time top 100: ${bots.found} (RWKV bots present as members: ${bots.knownBots.join(', ') || 'none'})`);

    // leaderboard: GraphQL against the same SQL run directly, and the previous raw-table plan
    const board = `{ leaderboard(first: 10) { since until entries { rank score commits pullRequestsOpened pullRequestsMerged reviews issuesOpened comments member { id login displayName kind } } } }`;
    const board365 = board.replace('leaderboard(first: 10)', 'leaderboard(first: 10, period: { preset: LAST_365_DAYS })');
    const captured = await captureLeaderboardSql(databaseUrl);
    const raw = rawLeaderboardSql(captured.since, captured.until);
    const seconds = (warmUp: boolean) => (warmUp ? 1 : SECONDS);
    // the cached process answers what the uncached one computes (since/until differ by the instants of the two requests)
    const [cachedBoard, uncachedBoard] = await Promise.all([graphqlData(graphql, board), graphqlData(graphqlUncached, board)]);
    if (JSON.stringify(cachedBoard.leaderboard.entries) !== JSON.stringify(uncachedBoard.leaderboard.entries)) {
      throw new Error('the leaderboard with and without the cache answered differently');
    }
    const leaderboardRuns = await measure('GraphQL leaderboard (30 days), cached', (warmUp) => graphqlLoad(graphql, board, seconds(warmUp)));
    // GraphQL and its SQL alternate run by run, so that both meet the same load from the rest of the machine
    // the SQL runs also give the CPU each query costs the machine (Postgres, and this process as its client)
    const sqlCpu: CpuPerRequest[] = [];
    const { first: uncachedRuns, second: sqlRuns } = await measurePairs(
      ['GraphQL leaderboard (30 days), cache off', (warmUp) => graphqlLoad(graphqlUncached, board, seconds(warmUp))],
      [
        'leaderboard SQL directly',
        async (warmUp) => {
          if (warmUp) return sqlLoad(pool, captured.sql, captured.params, seconds(warmUp));
          const { result, cpu } = await withCpu(pool, withoutCache.pid, async () => {
            const run = await sqlLoad(pool, captured.sql, captured.params);
            return { result: run, requests: run.requests };
          });
          sqlCpu.push(cpu);
          return result;
        },
      ],
    );
    const rawRuns = await measure('baseline: raw-table leaderboard SQL', (warmUp) => sqlLoad(pool, raw.sql, raw.params, seconds(warmUp)));
    // one at a time: what GraphQL adds to the same SQL when nothing else competes for the CPU. Each
    // request's overhead is its latency less the time its own statements took in the api (Server-Timing);
    // the same SQL run directly right after it gives the paired figures
    const timed = new TimedGraphqlClient(graphqlUncached, CONNECTIONS);
    for (let index = 0; index < 20; index += 1) await timed.request(board);
    const sequential: TimedAnswer[] = [];
    const sequentialSql: number[] = [];
    const pairedDifferences: number[] = [];
    for (let index = 0; index < PAIRS; index += 1) {
      sequential.push(await timed.request(board));
      const started = performance.now();
      await pool.query(captured.sql, captured.params);
      sequentialSql.push(performance.now() - started);
      pairedDifferences.push(sequential[index].latencyMs - sequentialSql[index]);
    }
    pairedDifferences.sort((a, b) => a - b);
    const sequentialGraphql = sequential.map((answer) => answer.latencyMs);
    const perRequest = overheads(sequential);
    log(
      `one at a time (${PAIRS}): overhead per request p50 ${round(perRequest.p50)} ms, p95 ${round(perRequest.p95)} ms ` +
        `(in the api p95 ${round(perRequest.inApiP95)} ms); its statements in the api median ${round(perRequest.dbMedian)} ms, run directly ${round(median(sequentialSql))} ms`,
    );
    // the same at concurrency 10: each request's latency less its own statements' time, so the figure is what
    // GraphQL adds to a request under that load (its wait for the api process and for a core included)
    await timed.load(board, CONNECTIONS, 1);
    const loadedRuns: Array<ReturnType<typeof overheads>> = [];
    const graphqlCpu: CpuPerRequest[] = [];
    for (let index = 0; index < RUNS; index += 1) {
      const { result: answers, cpu } = await withCpu(pool, withoutCache.pid, async () => {
        const loaded = await timed.load(board, CONNECTIONS, SECONDS);
        return { result: loaded, requests: loaded.length };
      });
      const run = overheads(answers);
      loadedRuns.push(run);
      graphqlCpu.push(cpu);
      log(
        `overhead per request at concurrency ${CONNECTIONS}, run ${index + 1}/${RUNS}: p50 ${round(run.p50)} ms, p95 ${round(run.p95)} ms ` +
          `(in the api p95 ${round(run.inApiP95)} ms; statements median ${round(run.dbMedian)} ms; ${run.requests} requests); ` +
          `CPU per request: api ${round(cpu.api, 2)} ms, Postgres ${round(cpu.postgres, 2)} ms, client ${round(cpu.client, 2)} ms`,
      );
    }
    timed.close();
    log(`one at a time: GraphQL leaderboard median ${round(median(sequentialGraphql))} ms, its SQL ${round(median(sequentialSql))} ms`);
    const sequential365: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      const started = performance.now();
      await graphqlData(graphqlUncached, board365);
      sequential365.push(performance.now() - started);
    }
    log(`GraphQL leaderboard (365 days), one at a time: ${sequential365.map((ms) => Math.round(ms)).join(', ')} ms`);

    const funnelQuery = FUNNEL_QUERY;
    const nonPayingQuery = funnelQuery.replace('funnel(ecosystem: "rwkv")', 'funnel(ecosystem: "rwkv", nonPayingOnly: true)');
    // the population: every member whose stages were evaluated (generated and synced alike)
    const funnelEntered = (await graphqlData(graphql, funnelQuery)).funnel.entered as number;
    if (funnelEntered === 0) throw new Error('the funnel counted no member: its figure would measure an empty population');
    // the cached process answers what the uncached one computes (`to` differs by the instants of the two requests)
    for (const query of [funnelQuery, nonPayingQuery]) {
      const [fromCache, computed] = await Promise.all([graphqlData(graphql, query), graphqlData(graphqlUncached, query)]);
      const counts = (data: GraphqlData) => JSON.stringify({ ...data.funnel, to: undefined });
      if (counts(fromCache) !== counts(computed)) throw new Error(`the funnel with and without the cache answered differently: ${query}`);
    }
    const funnelRuns = await measure('GraphQL funnel, cached', (warmUp) => graphqlLoad(graphql, funnelQuery, seconds(warmUp)));
    const nonPayingRuns = await measure('GraphQL funnel, non-paying organisations only, cached', (warmUp) => graphqlLoad(graphql, nonPayingQuery, seconds(warmUp)));
    const funnelUncachedRuns = await measure('GraphQL funnel, cache off', (warmUp) => graphqlLoad(graphqlUncached, funnelQuery, seconds(warmUp)));
    const nonPayingUncachedRuns = await measure('GraphQL funnel, non-paying organisations only, cache off', (warmUp) =>
      graphqlLoad(graphqlUncached, nonPayingQuery, seconds(warmUp)),
    );

    // DataLoader on vs off, 50 rows with nested fields
    // the last 24 hours: the ranking itself (the same in both arms) stays small beside the nested fields
    const daySince = new Date(Date.now() - DAY_MS).toISOString();
    const nested = `{ leaderboard(first: 50, period: { since: "${daySince}" }) { entries { rank score member { login
      identities { platform githubLogin } recentActivities(first: 3) { type occurredAt repository { fullName } } } } } }`;
    await expectSameAnswer(graphql, `${withoutLoaders.url}/graphql`, nested);
    // a fixed number of requests per run: without DataLoaders one request takes seconds
    const onRuns = await measure('DataLoader on (50 rows, nested)', (warmUp) => graphqlLoad(graphql, nested, SECONDS, warmUp ? CONNECTIONS : NESTED_REQUESTS));
    const offRuns = await measure('DataLoader off (50 rows, nested)', (warmUp) =>
      graphqlLoad(`${withoutLoaders.url}/graphql`, nested, SECONDS, warmUp ? CONNECTIONS : NESTED_REQUESTS),
    );

    const p95 = (runs: LoadRun[]) => round(median(runs.map((run) => run.p95)));
    const rps = (runs: LoadRun[]) => round(median(runs.map((run) => run.rps)), 2);
    const result = {
      benchmark: 'members',
      // the machine is shared: the 1-minute load average when the run started and ended
      load_average_start: loadStart,
      load_average_end: round(loadavg()[0], 2),
      members_generated: MEMBERS,
      activities_generated: ACTIVITIES,
      activities_total: generated.activities,
      activity_daily_cells: generated.cells,
      rwkv_repositories: rwkv.repositories,
      rwkv_activities: rwkv.activities,
      seed: SEED,
      concurrency: CONNECTIONS,
      seconds_per_run: SECONDS,
      runs: RUNS,
      leaderboard_p95_ms: p95(leaderboardRuns),
      leaderboard_p50_ms: round(median(leaderboardRuns.map((run) => run.p50))),
      leaderboard_rps: rps(leaderboardRuns),
      leaderboard_uncached_p95_ms: p95(uncachedRuns),
      leaderboard_uncached_p50_ms: round(median(uncachedRuns.map((run) => run.p50))),
      leaderboard_uncached_rps: rps(uncachedRuns),
      leaderboard_cache_speedup_p95: round(p95(uncachedRuns) / p95(leaderboardRuns), 2),
      leaderboard_365d_sequential_median_ms: Math.round(median(sequential365)),
      leaderboard_sql_p95_ms: p95(sqlRuns),
      graphql_overhead_p95_ms: round(p95(uncachedRuns) - p95(sqlRuns)),
      leaderboard_sequential_median_ms: round(median(sequentialGraphql)),
      leaderboard_sql_sequential_median_ms: round(median(sequentialSql)),
      graphql_overhead_sequential_median_ms: round(median(sequentialGraphql) - median(sequentialSql)),
      graphql_overhead_paired_median_ms: round(percentile(pairedDifferences, 50)),
      graphql_overhead_paired_p95_ms: round(percentile(pairedDifferences, 95)),
      graphql_overhead_pairs: PAIRS,
      graphql_overhead_per_request_p50_ms: round(perRequest.p50),
      graphql_overhead_per_request_p95_ms: round(perRequest.p95),
      graphql_overhead_in_api_p95_ms: round(perRequest.inApiP95),
      leaderboard_sql_in_api_sequential_median_ms: round(perRequest.dbMedian),
      graphql_overhead_per_request_c10_p50_ms: round(median(loadedRuns.map((run) => run.p50))),
      graphql_overhead_per_request_c10_p95_ms: round(median(loadedRuns.map((run) => run.p95))),
      graphql_overhead_in_api_c10_p95_ms: round(median(loadedRuns.map((run) => run.inApiP95))),
      api_cpu_ms_per_request_c10: round(median(graphqlCpu.map((cpu) => cpu.api)), 2),
      postgres_cpu_ms_per_request_c10: round(median(graphqlCpu.map((cpu) => cpu.postgres)), 2),
      client_cpu_ms_per_request_c10: round(median(graphqlCpu.map((cpu) => cpu.client)), 2),
      postgres_cpu_ms_per_query_c10_sql_directly: round(median(sqlCpu.map((cpu) => cpu.postgres)), 2),
      client_cpu_ms_per_query_c10_sql_directly: round(median(sqlCpu.map((cpu) => cpu.client)), 2),
      ...closedLoopPrediction(graphqlCpu, sqlCpu),
      leaderboard_raw_sql_p95_ms: p95(rawRuns),
      rollup_speedup: round(p95(rawRuns) / p95(sqlRuns), 2),
      funnel_p95_ms: p95(funnelRuns),
      funnel_members_entered: funnelEntered,
      funnel_non_paying_p95_ms: p95(nonPayingRuns),
      funnel_uncached_p95_ms: p95(funnelUncachedRuns),
      funnel_non_paying_uncached_p95_ms: p95(nonPayingUncachedRuns),
      identity_commits: identity.commits,
      identity_actors: identity.actors,
      identity_commits_per_s: Math.round(median(identity.rates)),
      identity_commits_per_s_runs: identity.rates.map((rate) => Math.round(rate)),
      identity_baseline_commits_per_s: Math.round(identity.baseline),
      identity_speedup: round(median(identity.rates) / identity.baseline, 2),
      dataloader_on_rps: rps(onRuns),
      dataloader_off_rps: rps(offRuns),
      dataloader_on_p95_ms: p95(onRuns),
      dataloader_off_p95_ms: p95(offRuns),
      dataloader_ratio: round(rps(onRuns) / rps(offRuns), 2),
      bots_in_leaderboard: bots.found,
      goals: {
        leaderboard_p95_ms_max: 50,
        funnel_p95_ms_max: 50,
        funnel_non_paying_p95_ms_max: 50,
        graphql_overhead_per_request_p95_ms_max: 5,
        graphql_overhead_per_request_c10_p95_ms_max: 5,
        identity_commits_per_s_min: 10_000,
        dataloader_ratio_min: 3,
        bots_in_leaderboard: 0,
      },
    };
    console.log(JSON.stringify(result));
  } finally {
    for (const server of servers) await server.stop();
    await pool.end();
  }
}

/** CPU milliseconds per request of the api process, the database's backends and this process (the client). */
interface CpuPerRequest {
  api: number;
  postgres: number;
  client: number;
}

/** CPU seconds so far of each backend connected to the benchmark's database, by process id (/proc). */
async function backendCpuSeconds(pool: pg.Pool): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  return new Map(rows.map((row) => [row.pid, cpuSeconds(row.pid)]));
}

/**
 * CPU seconds the backends used between two readings: each backend's growth, a backend connected
 * meanwhile from 0 (a pool opens connections as it needs them); one that disconnected meanwhile is not
 * counted (an undercount, never a negative).
 */
function backendCpuSince(before: Map<number, number>, after: Map<number, number>): number {
  let seconds = 0;
  for (const [pid, now] of after) seconds += Math.max(0, now - (before.get(pid) ?? 0));
  return seconds;
}

/**
 * Runs `work` and divides the CPU time it cost (the api child `apiPid`, the database's backends, this
 * process) by the requests it made. CPU time, unlike latency, does not grow when the machine is busy.
 */
async function withCpu<T>(pool: pg.Pool, apiPid: number, work: () => Promise<{ result: T; requests: number }>): Promise<{ result: T; cpu: CpuPerRequest }> {
  const api = cpuSeconds(apiPid);
  const postgres = await backendCpuSeconds(pool);
  const client = process.cpuUsage();
  const { result, requests } = await work();
  const clientUsage = process.cpuUsage(client);
  const per = (seconds: number) => (seconds * 1000) / Math.max(1, requests);
  return {
    result,
    cpu: {
      api: per(cpuSeconds(apiPid) - api),
      postgres: per(backendCpuSince(postgres, await backendCpuSeconds(pool))),
      client: per((clientUsage.user + clientUsage.system) / 1e6),
    },
  };
}

/**
 * What a closed loop predicts at concurrency 10 when the cores are saturated: throughput is cores ÷ CPU per
 * request, so latency is connections ÷ throughput, and GraphQL adds connections × (its extra CPU per request)
 * ÷ cores to the median. `extra_cpu_ms_per_request_c10`: the api's, Postgres's and the client's CPU per
 * GraphQL request less Postgres's and the client's per query run directly.
 */
function closedLoopPrediction(graphql: CpuPerRequest[], sql: CpuPerRequest[]): Record<string, number> {
  const extra =
    median(graphql.map((cpu) => cpu.api + cpu.postgres + cpu.client)) - median(sql.map((cpu) => cpu.postgres + cpu.client));
  return {
    cores: availableParallelism(),
    extra_cpu_ms_per_request_c10: round(extra, 2),
    predicted_overhead_c10_p50_ms: round((CONNECTIONS * extra) / availableParallelism()),
  };
}

/**
 * GraphQL's overhead in timed answers: per request, its latency less its statements' time in the api
 * (`p50`, `p95`), and its time in the api less its statements' (`inApiP95`); `dbMedian`: the statements' median.
 */
function overheads(answers: TimedAnswer[]): { p50: number; p95: number; inApiP95: number; dbMedian: number; requests: number } {
  const sorted = (values: number[]) => values.sort((a, b) => a - b);
  const perRequest = sorted(answers.map((answer) => answer.latencyMs - answer.dbMs));
  const inApi = sorted(answers.map((answer) => answer.totalMs - answer.dbMs));
  return {
    p50: percentile(perRequest, 50),
    p95: percentile(perRequest, 95),
    inApiP95: percentile(inApi, 95),
    dbMedian: median(answers.map((answer) => answer.dbMs)),
    requests: answers.length,
  };
}

/** Runs a load `RUNS` times after a short warm-up (`run(true)`: 1 s or one request per connection); logs each run. */
async function measure(label: string, run: (warmUp: boolean) => Promise<LoadRun>): Promise<LoadRun[]> {
  await run(true);
  const runs: LoadRun[] = [];
  for (let index = 0; index < RUNS; index += 1) {
    const result = await run(false);
    runs.push(result);
    log(`${label}, run ${index + 1}/${RUNS}: p50 ${round(result.p50)} ms, p95 ${round(result.p95)} ms, ${result.rps} req/s (${result.requests} requests)`);
  }
  return runs;
}

/** Two loads measured alternately after a warm-up of each: run 1 of the first, run 1 of the second, run 2... */
async function measurePairs(
  first: [string, (warmUp: boolean) => Promise<LoadRun>],
  second: [string, (warmUp: boolean) => Promise<LoadRun>],
): Promise<{ first: LoadRun[]; second: LoadRun[] }> {
  await first[1](true);
  await second[1](true);
  const out = { first: [] as LoadRun[], second: [] as LoadRun[] };
  for (let index = 0; index < RUNS; index += 1) {
    for (const [[label, run], runs] of [[first, out.first], [second, out.second]] as const) {
      const result = await run(false);
      runs.push(result);
      log(`${label}, run ${index + 1}/${RUNS}: p50 ${round(result.p50)} ms, p95 ${round(result.p95)} ms, ${result.rps} req/s (${result.requests} requests)`);
    }
  }
  return out;
}

/** autocannon: POSTs one GraphQL operation over CONNECTIONS connections; fails on any non-2xx or error. */
async function graphqlLoad(url: string, query: string, seconds = SECONDS, amount?: number): Promise<LoadRun> {
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        ...(amount ? { amount } : { duration: seconds }),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      },
      (error, finished) => (error ? fail(error) : done(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`GraphQL load on ${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  times.sort((a, b) => a - b);
  // a fixed amount of requests ends on autocannon's one-second tick: for those, the throughput of
  // the closed loop is connections ÷ mean latency (Little's law)
  const mean = times.reduce((sum, time) => sum + time, 0) / Math.max(1, times.length);
  const rps = amount ? (CONNECTIONS * 1000) / mean : result.requests.average;
  return { p50: percentile(times, 50), p95: percentile(times, 95), rps: round(rps, 2), requests: times.length };
}

/** The same load as SQL: CONNECTIONS workers, each on its own pooled connection, for `seconds`. */
async function sqlLoad(pool: pg.Pool, sql: string, params: unknown[], seconds = SECONDS): Promise<LoadRun> {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = await pool.connect();
      try {
        while (performance.now() < deadline) {
          const started = performance.now();
          await client.query(sql, params);
          times.push(performance.now() - started);
        }
      } finally {
        client.release();
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), rps: Math.round(times.length / seconds), requests: times.length };
}

/**
 * Evaluates every member's stages from scratch (StageService.recomputeEcosystem over all ecosystems,
 * the path `cambrian stages recompute` takes), so that the funnel reads the stages of the generated
 * members as well as the synced ones: COPY bypasses the activity path that evaluates them.
 */
async function evaluateStages(databaseUrl: string): Promise<void> {
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl, extra: { options: sessionOptions } }).initialize();
  try {
    const started = performance.now();
    const result = await new StageService(dataSource, new StageRulesService(dataSource)).recomputeEcosystem(null);
    await dataSource.query('VACUUM ANALYZE member_stage, member_stage_transition, stage_member_repository, member_stage_daily, member_stage_cell, member_stage_credit');
    log(`stages of ${result.members} members evaluated (${result.transitionsInserted} transitions) in ${round((performance.now() - started) / 1000, 1)} s`);
  } finally {
    await dataSource.destroy();
  }
}

/** The SQL and parameters LeaderboardService sends for the default leaderboard (top 10, last 30 days). */
async function captureLeaderboardSql(databaseUrl: string): Promise<{ sql: string; params: unknown[]; since: Date; until: Date }> {
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl, extra: { options: sessionOptions } }).initialize();
  try {
    let captured: { sql: string; params: unknown[] } | null = null;
    const recorder = new Proxy(dataSource, {
      get(target, property, receiver) {
        if (property === 'query') {
          return async (sql: string, params: unknown[]) => {
            captured = { sql, params };
            return target.query(sql, params);
          };
        }
        return Reflect.get(target, property, receiver);
      },
    });
    const board = await new LeaderboardService(recorder, new RepositoryQueryService(recorder)).leaderboard({ first: 10 });
    if (!captured) throw new Error('LeaderboardService sent no query');
    return { ...(captured as { sql: string; params: unknown[] }), since: board.since!, until: board.until };
  } finally {
    await dataSource.destroy();
  }
}

/** Baseline: the plan the leaderboard used before the rollup (one GROUP BY over `activity` in the window). */
function rawLeaderboardSql(since: Date, until: Date): { sql: string; params: unknown[] } {
  const names = Object.keys(LEADERBOARD_COUNTS) as LeaderboardCountName[];
  const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  const counts = names
    .map((name) => `count(*) FILTER (WHERE a.type IN (${LEADERBOARD_COUNTS[name].map((type) => `'${type}'`).join(', ')}))::int AS ${snake(name)}`)
    .join(', ');
  const weights = { commits: 2, pullRequestsOpened: 3, pullRequestsMerged: 5, reviews: 3, issuesOpened: 2, comments: 1 };
  const score = names.map((name) => `c.${snake(name)} * ${weights[name]}`).join(' + ');
  return {
    sql: `WITH counts AS (
            SELECT a.member_id, ${counts} FROM activity a
             WHERE a.removed_at IS NULL AND a.type = ANY($1::text[]) AND a.occurred_at >= $2 AND a.occurred_at < $3
             GROUP BY a.member_id
          ), top AS (
            SELECT c.*, (${score})::int AS score,
                   row_number() OVER (ORDER BY (${score}) DESC, lower(coalesce(p.login, p.display_name)) COLLATE "C" NULLS LAST, p.id) AS rank
              FROM counts c JOIN member p ON p.id = c.member_id AND p.kind = 'person'
             ORDER BY rank LIMIT $4
          )
          SELECT top.*, m.login, m.display_name FROM top JOIN member m ON m.id = top.member_id ORDER BY top.rank`,
    params: [SCORED_ACTIVITY_TYPES, since.toISOString(), until.toISOString(), 10],
  };
}

/** Resolves the RWKV snapshot's commit actors from scratch: BENCH_RUNS bulk runs and one IdentityService run. */
async function identityResolution(
  databaseUrl: string,
  pool: pg.Pool,
  snapshot: Snapshot,
): Promise<{ commits: number; actors: number; rates: number[]; baseline: number }> {
  const ctx = { apiUrl: 'http://127.0.0.1:1', htmlUrl: 'https://github.com' };
  const seen = new Set<string>();
  const actors: ActorRef[] = [];
  for (const data of snapshot.repositories) {
    for (const commit of data.commits) {
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      const rest = renderCommit(commit, data.repository, ctx) as unknown as RestCommit;
      for (const activity of mapCommit(rest, data.repository.id).activities) actors.push(activity.actor);
    }
  }
  log(`identity resolution: ${seen.size} distinct commits, ${actors.length} commit actors (authors and co-authors)`);
  const dataSource = await new DataSource({ type: 'postgres', url: databaseUrl, extra: { options: sessionOptions } }).initialize();
  const reset = () => pool.query(`TRUNCATE member, identity, github_account RESTART IDENTITY CASCADE`);
  try {
    const rates: number[] = [];
    for (let run = 1; run <= RUNS; run += 1) {
      await reset();
      const resolver = new BulkIdentityResolver(dataSource, { historicalLogins: true });
      const started = performance.now();
      for (let start = 0; start < actors.length; start += IDENTITY_BATCH) {
        await resolver.resolveMany(actors.slice(start, start + IDENTITY_BATCH));
      }
      const seconds = (performance.now() - started) / 1000;
      rates.push(seen.size / seconds);
      const { rows } = await pool.query(`SELECT count(*)::int AS members FROM member`);
      log(`identity resolution, run ${run}/${RUNS} (BulkIdentityResolver): ${round(seconds, 2)} s = ${Math.round(seen.size / seconds)} commits/s, ${rows[0].members} members`);
    }
    await reset();
    const service = new IdentityService(dataSource);
    const started = performance.now();
    for (let start = 0; start < actors.length; start += 500) await service.resolveMany(actors.slice(start, start + 500));
    const seconds = (performance.now() - started) / 1000;
    log(`identity resolution, baseline (IdentityService.resolveMany, batches of 500): ${round(seconds, 2)} s = ${Math.round(seen.size / seconds)} commits/s`);
    return { commits: seen.size, actors: actors.length, rates, baseline: seen.size / seconds };
  } finally {
    await dataSource.destroy();
  }
}

/** The real sync of the RWKV ecosystem through the simulator, in this process. */
async function syncRwkv(snapshot: Snapshot): Promise<{ repositories: number; activities: number }> {
  const sim = await createGithubSim({ snapshot, port: 0, rateLimit: { limit: 1_000_000 } });
  Object.assign(process.env, { GITHUB_API_URL: sim.url, GITHUB_TOKEN: TOKEN });
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(BenchMembersModule, { logger: ['error'] });
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
    await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
    await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
    const started = performance.now();
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystem.id, { concurrency: 6, resources: ALL_REPOSITORY_RESOURCES });
    if (result.failures.length) throw new Error(`RWKV sync: ${JSON.stringify(result.failures)}`);
    const [{ activities }] = await app.get(DataSource).query(`SELECT count(*)::int AS activities FROM activity`);
    log(`RWKV sync: ${result.repositories.length} repositories, ${activities} activities in ${round((performance.now() - started) / 1000, 1)} s`);
    return { repositories: result.repositories.length, activities };
  } finally {
    if (app) {
      await app.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await sim.close();
  }
}

/** Activities and rollup cells of a reused database (BENCH_MEMBERS_REUSE=1). */
async function existingCounts(pool: pg.Pool): Promise<{ repositories: number; activities: number; cells: number }> {
  const [row] = (
    await pool.query(
      `SELECT (SELECT count(*)::int FROM repository) AS repositories, (SELECT count(*)::int FROM activity) AS activities, (SELECT count(*)::int FROM activity_daily) AS cells`,
    )
  ).rows;
  return row;
}

/** COPY's text format: tab-separated, `\N` for NULL (values here hold no tabs, newlines or backslashes). */
const line = (values: Array<string | number | null>) => `${values.map((value) => (value === null ? '\\N' : String(value))).join('\t')}\n`;

async function copyRows(pool: pg.Pool, statement: string, rows: Iterable<string>): Promise<void> {
  const client = await pool.connect();
  try {
    await pipeline(Readable.from(chunked(rows)), client.query(copyFrom(statement)));
  } finally {
    client.release();
  }
}

/** Groups lines into ~1 MB strings (COPY over many tiny chunks is slow). */
function* chunked(rows: Iterable<string>): Generator<string> {
  let buffer = '';
  for (const row of rows) {
    buffer += row;
    if (buffer.length > 1_000_000) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer) yield buffer;
}

/** Generated members (1% bots) and activities on top of the synced RWKV data, loaded with COPY. */
async function generateHistory(pool: pg.Pool): Promise<{ activities: number; cells: number }> {
  const started = performance.now();
  const repositories: number[] = (await pool.query(`SELECT id::text AS id FROM repository ORDER BY id`)).rows.map((row) => Number(row.id));
  const isBot = (n: number) => n % 100 === 7;
  const login = (n: number) => (isBot(n) ? `bench-helper-${n}[bot]` : `bench-user-${n}`);
  const accountId = (n: number) => 900_000_000 + n;
  const indexes = Array.from({ length: MEMBERS }, (_, n) => n);
  await copyRows(
    pool,
    `COPY member (id, kind, display_name, login) FROM STDIN`,
    indexes.map((n) => line([uuidFor(1, n), isBot(n) ? 'bot' : 'person', `Bench ${n}`, login(n)])),
  );
  await copyRows(
    pool,
    `COPY github_account (id, login, type, member_id) FROM STDIN`,
    indexes.map((n) => line([accountId(n), login(n), isBot(n) ? 'Bot' : 'User', uuidFor(1, n)])),
  );
  await copyRows(
    pool,
    `COPY identity (id, member_id, platform, key, github_account_id, display_name, evidence) FROM STDIN`,
    indexes.map((n) => line([uuidFor(2, n), uuidFor(1, n), 'github', String(accountId(n)), accountId(n), login(n), 'api'])),
  );
  log(`generated ${MEMBERS} members (${indexes.filter(isBot).length} bots) in ${round((performance.now() - started) / 1000, 1)} s`);

  const random = seededRandom(SEED);
  const total = MIX.reduce((sum, [, weight]) => sum + weight, 0);
  const anchor = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const start = anchor - DAYS * DAY_MS;
  const slot = (DAYS * DAY_MS) / ACTIVITIES;
  function* activities(): Generator<string> {
    for (let i = 0; i < ACTIVITIES; i += 1) {
      // Pareto-like: member n = ⌊N·r^7⌋, so the top 1% of members make about half of the
      // activities and the top 20% about 80% (a long tail of occasional contributors)
      const n = Math.min(MEMBERS - 1, Math.floor(MEMBERS * random() ** 7));
      let pick = random() * total;
      let type = MIX[MIX.length - 1][0];
      for (const [candidate, weight] of MIX) {
        pick -= weight;
        if (pick < 0) {
          type = candidate;
          break;
        }
      }
      const repository = repositories[Math.floor(random() * repositories.length)];
      // in time order, as activities arrive (evenly spread, jittered within each slot)
      const occurredAt = new Date(start + Math.floor((i + random()) * slot)).toISOString();
      yield line([type, occurredAt, repository, uuidFor(2, n), uuidFor(1, n), 'gharchive', `bench:${i}`, '{}']);
    }
  }
  const copyStarted = performance.now();
  await copyRows(pool, `COPY activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts) FROM STDIN`, activities());
  log(`COPY of ${ACTIVITIES} activities (rollup maintained by its triggers) in ${round((performance.now() - copyStarted) / 1000, 1)} s`);
  await pool.query(`VACUUM (ANALYZE) activity_daily, activity_member_monthly`);
  await pool.query(`ANALYZE activity, member, github_account, identity`);
  const [{ activities: count, cells }] = (
    await pool.query(`SELECT (SELECT count(*)::int FROM activity) AS activities, (SELECT count(*)::int FROM activity_daily) AS cells`)
  ).rows;
  log(`${count} activities, ${cells} activity_daily cells; generation took ${round((performance.now() - started) / 1000, 1)} s`);
  return { activities: count, cells };
}

/** A GraphQL answer's `data`, read loosely: the benchmark picks a few known fields of its own queries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type GraphqlData = any;

async function graphqlData(url: string, query: string): Promise<GraphqlData> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: GraphqlData; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL errors from ${url}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Bots (and the deleted sentinel) among the all-time top 100, and which RWKV bots exist as members. */
async function botsInLeaderboard(url: string): Promise<{ found: number; knownBots: string[] }> {
  const data = await graphqlData(
    url,
    `{ leaderboard(first: 100, period: { preset: ALL_TIME }) { entries { member { login kind } } }
       members(first: 100, filter: { kinds: [BOT] }) { edges { node { login } } } }`,
  );
  const entries: Array<{ member: { kind: string; login: string | null } }> = data.leaderboard.entries;
  const found = entries.filter((entry) => entry.member.kind !== 'PERSON' || /\[bot\]$/.test(entry.member.login ?? '')).length;
  const edges: Array<{ node: { login: string } }> = data.members.edges;
  const knownBots = edges.map((edge) => edge.node.login).filter((name) => !name.startsWith('bench-'));
  return { found, knownBots };
}

/** Both servers answer the operation identically (DataLoaders change the cost, never the answer). */
async function expectSameAnswer(a: string, b: string, query: string): Promise<void> {
  const [left, right] = await Promise.all([graphqlData(a, query), graphqlData(b, query)]);
  if (JSON.stringify(left) !== JSON.stringify(right)) throw new Error('DataLoader on and off answered differently');
  if (left.leaderboard.entries.length !== 50) {
    throw new Error(
      `expected 50 leaderboard rows, got ${left.leaderboard.entries.length}: the DataLoader comparison needs 50 members active in its window; ` +
        `raise BENCH_MEMBERS and BENCH_ACTIVITIES (at 20,000 and 200,000 it has them)`,
    );
  }
}

main().catch((error: unknown) => {
  console.error('[bench members] failed:', error);
  process.exit(1);
});
