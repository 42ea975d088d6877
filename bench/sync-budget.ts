/**
 * Rate-limit budget benchmark: `npm run bench -- sync-budget` (runs dist/bench/sync-budget.js).
 *
 * Question (issue 3, "Speed and cost"): does a full sync of the six RWKV repositories from empty,
 * with the sim set to GitHub's real budget, spend the budget no faster than it refills? And when the
 * sync needs more than one window's budget, does pacing (`RedisTokenBudget`: bursts while more than
 * GITHUB_PACE_BELOW_FRACTION of the limit remains, then one request per (time to reset) / (usable
 * remaining) across every process, a GITHUB_RESERVE_FRACTION reserve) keep every window within its
 * limit, with no primary-limit 403?
 *
 * Each scenario runs twice in the same run, on a fresh database (`cambrian_bench_sync_budget`) and a
 * fresh sim window: paced (the defaults) and unpaced (GITHUB_PACE_BELOW_FRACTION=0,
 * GITHUB_RESERVE_FRACTION=0: only the pause after `remaining: 0` and after a 403, as before pacing).
 * The sync runs in this process through the real services (EcosystemSyncService.syncInProcess, the
 * Octokit client, the Redis budget), every repository at once, GITHUB_MAX_CONCURRENCY 10.
 *  1. `real`: the sim at GitHub's budget, 5,000 requests per 3,600 s window, on the real clock.
 *     Figures: `real_budget_exhausted` (a window reported remaining 0 or refused a request),
 *     `real_min_remaining` (lowest X-RateLimit-Remaining of any window), requests and wall time.
 *  2. `compressed`: the same sync against a budget of BENCH_BUDGET_RATIO (0.25) × the requests the
 *     real scenario's paced sync spent, per window of BENCH_WINDOW_SECONDS (60) GitHub seconds (the
 *     real budget is about eight times the six repositories' sync, so at that ratio no window could
 *     ever run out: the ratio is set below 1 to stand for an organisation whose sync needs several
 *     windows' budget), with
 *     GitHub's clock sped up BENCH_CLOCK_SPEEDUP (6) times (the sim's clock, its `Date` header and the
 *     budget's waits all scaled, as the tests do): a window lasts 10 real seconds, so the budget
 *     (about 15 requests per real second) binds a sync that runs at 50 or more, and the sync needs
 *     about four windows.
 *     Figures: `compressed_max_spent_per_window_over_limit` = max over windows of (requests counted
 *     + requests refused) / limit (goal ≤ 1), `compressed_primary_limit_errors` (403 primary-limit
 *     answers; goal 0), `compressed_min_remaining`, windows used, wall time.
 * Windows come from the sim (`GET /_sim/rate-limit/windows`): what it counted, refused and the
 * lowest remaining it reported, per window of the bench's token.
 *
 * The last line on stdout is one JSON object; progress goes to stderr.
 * Environment: DATABASE_URL, REDIS_URL, CAMBRIAN_DATA_DIR, BENCH_BUDGET_RATIO, BENCH_WINDOW_SECONDS,
 * BENCH_CLOCK_SPEEDUP.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ConfigModule, loadConfig } from '#libs/config';
import { DatabaseModule, databaseUrlFor, recreateDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, EcosystemSyncService, GITHUB_TOKEN_BUDGET, GithubSyncModule, type RedisTokenBudget } from '#libs/github';
import { QueueName } from '#libs/queue';
import { projectRoot } from '../apps/github-sim/src/main.js';
import type { RateLimitWindowRecord } from '../apps/github-sim/src/http/rate-limit.js';
import type { SimStatsSnapshot } from '../apps/github-sim/src/http/sim-stats.js';
import { createGithubSim } from '../apps/github-sim/src/server.js';
import { loadSnapshot } from '../apps/github-sim/src/seed/build-snapshot.js';
import type { Snapshot } from '../apps/github-sim/src/seed/snapshot.types.js';
import { round } from './lib/stats.js';

const DATABASE = 'cambrian_bench_sync_budget';
const QUEUE_PREFIX = 'cambrian-bench-sync-budget';
const TOKEN = 'bench-sync-budget-token';
const GITHUB_LIMIT = 5000;
const GITHUB_WINDOW_SECONDS = 3600;
const BUDGET_RATIO = Number(process.env.BENCH_BUDGET_RATIO ?? 0.25);
const WINDOW_SECONDS = Number(process.env.BENCH_WINDOW_SECONDS ?? 60);
const SPEEDUP = Number(process.env.BENCH_CLOCK_SPEEDUP ?? 6);

const log = (message: string) => console.error(`[bench sync-budget] ${message}`);

@Module({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] })
class BenchSyncBudgetModule {}

interface ScenarioOptions {
  name: string;
  limit: number;
  windowSeconds: number;
  /** GitHub seconds per real second (1: the real clock). */
  speedup: number;
  paced: boolean;
}

/** What one sync did to the sim's budget. */
interface ScenarioResult {
  requests: number;
  primaryLimitErrors: number;
  failures: number;
  wallMs: number;
  windows: RateLimitWindowRecord[];
  minRemaining: number;
  exhausted: boolean;
  maxSpentOverLimit: number;
}

async function main(): Promise<void> {
  const defaults = loadConfig();
  const databaseUrl = databaseUrlFor(defaults.DATABASE_URL, DATABASE);
  const dataDir = resolve(projectRoot(), process.env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
  log(`loading the RWKV export from ${dataDir}`);
  const snapshot = await loadSnapshot(dataDir);

  const run = (options: ScenarioOptions) => runScenario(snapshot, databaseUrl, options);
  const real = { limit: GITHUB_LIMIT, windowSeconds: GITHUB_WINDOW_SECONDS, speedup: 1 };
  const realPaced = await run({ name: 'real, paced', ...real, paced: true });
  const realUnpaced = await run({ name: 'real, unpaced', ...real, paced: false });
  const compressedLimit = Math.max(20, Math.round(realPaced.requests * BUDGET_RATIO));
  const compressed = { limit: compressedLimit, windowSeconds: WINDOW_SECONDS, speedup: SPEEDUP };
  const compressedPaced = await run({ name: 'compressed, paced', ...compressed, paced: true });
  const compressedUnpaced = await run({ name: 'compressed, unpaced', ...compressed, paced: false });

  const summary = {
    benchmark: 'sync-budget',
    real_limit_per_window: GITHUB_LIMIT,
    real_window_seconds: GITHUB_WINDOW_SECONDS,
    real_requests: realPaced.requests,
    // GitHub's budget over what the sync needs: above 1, one window's budget covers the whole sync
    real_budget_over_sync_requests: round(GITHUB_LIMIT / realPaced.requests, 2),
    real_budget_exhausted: realPaced.exhausted,
    real_min_remaining: realPaced.minRemaining,
    real_primary_limit_errors: realPaced.primaryLimitErrors,
    real_wall_ms: Math.round(realPaced.wallMs),
    real_unpaced_budget_exhausted: realUnpaced.exhausted,
    real_unpaced_min_remaining: realUnpaced.minRemaining,
    real_unpaced_wall_ms: Math.round(realUnpaced.wallMs),
    real_wall_paced_over_unpaced: round(realPaced.wallMs / realUnpaced.wallMs, 2),
    compressed_budget_ratio: BUDGET_RATIO,
    compressed_limit_per_window: compressedLimit,
    compressed_window_seconds: WINDOW_SECONDS,
    compressed_clock_speedup: SPEEDUP,
    compressed_requests: compressedPaced.requests,
    compressed_windows: compressedPaced.windows.length,
    compressed_max_spent_per_window_over_limit: round(compressedPaced.maxSpentOverLimit, 3),
    compressed_primary_limit_errors: compressedPaced.primaryLimitErrors,
    compressed_min_remaining: compressedPaced.minRemaining,
    compressed_budget_exhausted: compressedPaced.exhausted,
    compressed_failed_repositories: compressedPaced.failures,
    compressed_wall_ms: Math.round(compressedPaced.wallMs),
    compressed_unpaced_max_spent_per_window_over_limit: round(compressedUnpaced.maxSpentOverLimit, 3),
    compressed_unpaced_primary_limit_errors: compressedUnpaced.primaryLimitErrors,
    compressed_unpaced_min_remaining: compressedUnpaced.minRemaining,
    compressed_unpaced_requests: compressedUnpaced.requests,
    compressed_unpaced_wall_ms: Math.round(compressedUnpaced.wallMs),
    goals: { real_budget_exhausted: false, compressed_max_spent_per_window_over_limit_max: 1, compressed_primary_limit_errors: 0 },
  };
  console.log(JSON.stringify(summary));
}

/** One full sync of the RWKV ecosystem from empty against a sim with the scenario's budget. */
async function runScenario(snapshot: Snapshot, databaseUrl: string, options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const githubNow = () => started + (Date.now() - started) * options.speedup;
  const sim = await createGithubSim({ snapshot, port: 0, now: githubNow, rateLimit: { limit: options.limit, windowSeconds: options.windowSeconds } });
  await recreateDatabase(databaseUrl, secretBoxFromConfig(loadConfig()));
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    QUEUE_PREFIX,
    GITHUB_API_URL: sim.url,
    GITHUB_TOKEN: TOKEN,
    GITHUB_MAX_CONCURRENCY: '10',
    GITHUB_WAIT_MS_PER_SECOND: String(Math.max(1, Math.round(1000 / options.speedup))),
    // the sync runs in this process: it waits out every pause and paced interval itself
    GITHUB_MAX_IN_PROCESS_WAIT_SECONDS: '3600',
    GITHUB_PACE_BELOW_FRACTION: options.paced ? '' : '0',
    GITHUB_RESERVE_FRACTION: options.paced ? '' : '0',
    LOG_LEVEL: 'error',
  });
  for (const name of ['GITHUB_PACE_BELOW_FRACTION', 'GITHUB_RESERVE_FRACTION']) if (process.env[name] === '') delete process.env[name];
  const app = await NestFactory.createApplicationContext(BenchSyncBudgetModule, { logger: ['error'] });
  try {
    await app.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
    const ecosystemId = await createRwkvEcosystem(app);
    const wallStarted = performance.now();
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: 6, resources: ALL_REPOSITORY_RESOURCES });
    const wallMs = performance.now() - wallStarted;
    const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as SimStatsSnapshot;
    const { windows: all } = (await (await fetch(`${sim.url}/_sim/rate-limit/windows`)).json()) as { windows: RateLimitWindowRecord[] };
    const windows = all.filter((window) => window.key === `token:${TOKEN}`);
    const minRemaining = Math.min(...windows.map((window) => window.minRemaining));
    const scenario: ScenarioResult = {
      requests: stats.requests,
      primaryLimitErrors: windows.reduce((sum, window) => sum + window.refused, 0),
      failures: result.failures.length,
      wallMs,
      windows,
      minRemaining,
      exhausted: windows.some((window) => window.minRemaining === 0 || window.refused > 0),
      maxSpentOverLimit: Math.max(...windows.map((window) => (window.used + window.refused) / window.limit)),
    };
    log(
      `${options.name}: ${options.limit} requests per ${options.windowSeconds} s window (clock ×${options.speedup}): ` +
        `${scenario.requests} requests in ${Math.round(wallMs)} ms over ${windows.length} window(s) ` +
        `[${windows.map((window) => `${window.used}+${window.refused} refused, min ${window.minRemaining}`).join('; ')}], ` +
        `${scenario.primaryLimitErrors} primary-limit 403, ${scenario.failures} failed repositories`,
    );
    return scenario;
  } finally {
    await app.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
    for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await app.close();
    await sim.close();
  }
}

async function createRwkvEcosystem(app: INestApplicationContext): Promise<number> {
  const ecosystems = app.get(EcosystemService);
  const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
  await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
  await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
  await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
  return ecosystem.id;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error('[bench sync-budget] failed:', error);
    process.exit(1);
  },
);
