/**
 * Console first-load benchmark: `npm run bench -- console` (runs dist/bench/console.js; the build puts the
 * console in dist/console).
 *
 * Demo data as the console's Chromium specs have it (test/console/console-harness.ts): the GitHub simulator
 * over the real RWKV export, a database and queue prefix of their own, the api in this process serving the
 * built console, a worker (GitHub sync and stage evaluation) in this process. The ecosystem `rwkv` tracks
 * what the demo tracks (user BlinkDL, organisation RWKV, repository josStorer/RWKV-Runner); a sync is
 * started through GraphQL (`startSync`, as the console's Re-sync button does) and waited for, then the stage
 * evaluations it requested, so every page has the real people and their stages to show.
 *
 * Then, in Debian's Chromium (headless, through playwright-core), BENCH_RUNS (5) cold first loads of each
 * scenario: every load in a new browser context (empty cache, no service worker; the signed-in ones carry
 * only the admin's session and CSRF cookies, taken from one sign-in through the simulator), the scenarios
 * interleaved run by run so they meet the same load from the rest of the machine:
 *  - `baseline`: `GET /health/live` of the same api (a tiny JSON answer, no script): what a navigation to
 *    this server costs at all;
 *  - `signin`: `/console/` signed out, until the "Sign in with GitHub" button is visible;
 *  - `ecosystem`, `members`, `funnel`: `/console/ecosystem`, `/console/members`, `/console/funnel` signed in
 *    as the admin (the paths the side menu links to, without `?ecosystem=`), until the page's main content
 *    is visible: a row of the repositories/sources tables, a row of the members table, the funnel's
 *    "entered" figure.
 *
 * Timing, on the browser's clock (the Performance API; 0 is the navigation's start): an init script watches
 * the DOM (MutationObserver) and takes `performance.now()` when an element matching the scenario's selector
 * is visible (`checkVisibility()`) with text; navigation timing gives `domContentLoadedEventEnd` and
 * `loadEventEnd`. Bytes: `transferSize` of the navigation and every resource entry once the page is
 * network-idle (no request for 500 ms after the content showed), split into scripts/styles, GraphQL and the
 * rest. GraphQL operations: every request to `/graphql` the page sent during the load (Playwright's request
 * events), by `operationName`.
 *
 * Figures (the last line on stdout is one JSON object; progress goes to stderr): per scenario
 * `first_load_<scenario>_median_ms` (navigation start → content visible; `_min_ms`, `_max_ms`, `_runs_ms`),
 * `dom_content_loaded_<scenario>_median_ms`, `load_event_<scenario>_median_ms`, and per page
 * `ratio_first_load_<page>_to_baseline` (median over median), `meets_goal_2s` (every page's median under
 * 2,000 ms), `graphql_operations_per_page` (`{ page: { count, operations: [names in order] } }`, from the
 * first run; `graphql_operations_stable` says whether every run sent the same list; `median_run_timeline`: the
 * GraphQL requests of the run with the median content time, each with its start and response end after
 * navigation start and its bytes, from resource timing),
 * `bytes_transferred_per_page` (`{ page: { total, scripts_styles, graphql, other } }`, medians), and
 * `load_average_1m` (at the start and the end: the machine is shared).
 *
 * Environment: BENCH_RUNS (5), CAMBRIAN_DATA_DIR (the RWKV export), BENCH_CONSOLE_SYNC_TIMEOUT_S (900).
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { chromium, type Browser, type BrowserContextOptions } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { SyncProgressService } from '#libs/github';
import { QueueModule, QueueName } from '#libs/queue';
import { createApiApp } from '../apps/api/src/bootstrap.js';
import { ADD_TRACKED_SOURCE, CREATE_ECOSYSTEM, START_SYNC } from '../apps/cli/src/demo/demo-queries.js';
import { stageSummaryLine } from '../apps/cli/src/demo/demo-stages.js';
import { graphqlRequest } from '../apps/cli/src/demo/graphql-client.js';
import { waitUntil } from '../apps/cli/src/demo/wait-until.js';
import type { GithubSim } from '../apps/github-sim/src/server.js';
import { GithubSyncProcessorModule } from '../apps/worker/src/processors/github-sync-processor.module.js';
import { StagesProcessorModule } from '../apps/worker/src/processors/stages-processor.module.js';
import type { TestEnv } from '../test/helpers/test-env.js';
import { templateDatabaseName, TEST_SERVER_URL } from '../test/helpers/test-database.js';
import { TEST_REDIS_URL } from '../test/helpers/test-queue-prefix.js';
import { CHROMIUM, CHROMIUM_ARGS, closeWorker, originOf, signInFromConsole, startConsoleEnv } from '../test/console/console-harness.js';
import { median } from './lib/stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SYNC_TIMEOUT_MS = Number(process.env.BENCH_CONSOLE_SYNC_TIMEOUT_S ?? 900) * 1000;
/** Longest wait (milliseconds) for one page's content; a load that takes longer fails the run. */
const CONTENT_TIMEOUT_MS = 60_000;
/** The goal of Cambrian issue 7: a page's first load under 2 s. */
const GOAL_MS = 2_000;
/** The demo's ecosystem (apps/cli/src/commands/demo.command.ts). */
const ECOSYSTEM = {
  slug: 'rwkv',
  name: 'RWKV',
  sources: [
    { kind: 'USER', name: 'BlinkDL' },
    { kind: 'ORGANIZATION', name: 'RWKV' },
    { kind: 'REPOSITORY', name: 'josStorer/RWKV-Runner' },
  ],
} as const;

/** One measured navigation: where, signed in or not, and what shows that its main content is there. */
interface Scenario {
  name: 'baseline' | 'signin' | 'ecosystem' | 'members' | 'funnel';
  path: string;
  signedIn: boolean;
  /** CSS selector of the main content; the first visible match with text ends the measurement. */
  content: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'baseline', path: '/health/live', signedIn: false, content: 'body' },
  { name: 'signin', path: '/console/', signedIn: false, content: 'a.ant-btn[href^="/auth/github"]' },
  { name: 'ecosystem', path: '/console/ecosystem', signedIn: true, content: '.ant-table-row' },
  { name: 'members', path: '/console/members', signedIn: true, content: '[data-testid="members-table"] .ant-table-row' },
  { name: 'funnel', path: '/console/funnel', signedIn: true, content: '[data-testid="funnel-entered"]' },
];

/** What one cold load measured (milliseconds on the page's clock, bytes as transferred). */
interface Load {
  contentMs: number;
  domContentLoadedMs: number;
  loadEventMs: number;
  operations: string[];
  bytes: { total: number; scripts_styles: number; graphql: number; other: number };
  /**
   * Each GraphQL request as resource timing saw it (start and response end after navigation start, bytes
   * transferred), named by pairing them in request order with `operations` (null names if the counts differ).
   */
  graphqlTimeline: Array<{ operation: string | null; start_ms: number; end_ms: number; bytes: number }>;
}

const log = (message: string) => console.error(`[bench console] ${message}`);
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The worker's part the pages need: the GitHub sync and the stage evaluations it requests. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncProcessorModule, StagesProcessorModule] })
class BenchWorkerModule {}

/**
 * Init script (runs in the page before its own scripts): records in `window.__contentShownAt` the
 * `performance.now()` at which an element matching `selector` is first visible with text.
 */
function watchForContent(selector: string): void {
  const page = globalThis as unknown as {
    __contentShownAt?: number;
    document: {
      querySelectorAll(s: string): ArrayLike<{ textContent: string | null; checkVisibility(): boolean }>;
      documentElement: object | null;
      addEventListener(type: string, listener: () => void): void;
    };
    MutationObserver: new (callback: () => void) => { observe(target: object, options: object): void; disconnect(): void };
    addEventListener(type: string, listener: () => void): void;
  };
  const shown = () => Array.from(page.document.querySelectorAll(selector)).some((element) => element.checkVisibility() && (element.textContent ?? '').trim() !== '');
  let observer: { disconnect(): void } | undefined;
  const check = () => {
    if (page.__contentShownAt !== undefined || !shown()) return;
    page.__contentShownAt = performance.now();
    observer?.disconnect();
  };
  const start = () => {
    if (!page.document.documentElement) return;
    const watcher = new page.MutationObserver(check);
    watcher.observe(page.document.documentElement, { childList: true, subtree: true, characterData: true, attributes: true });
    observer = watcher;
    check();
  };
  if (page.document.documentElement) start();
  else page.document.addEventListener('readystatechange', start);
  page.document.addEventListener('DOMContentLoaded', check);
  page.addEventListener('load', check);
}

/** Reads the navigation timing and the transfer sizes of everything the page fetched so far. */
function readTimings(): { contentMs: number | null; domContentLoadedMs: number; loadEventMs: number; bytes: Load['bytes']; graphql: Array<{ startMs: number; endMs: number; bytes: number }> } {
  const page = globalThis as unknown as { __contentShownAt?: number };
  type Entry = { name: string; transferSize: number; startTime: number; responseEnd: number };
  // the browser's Performance API (Node's types know fewer entry types)
  const entries = (globalThis as unknown as { performance: { getEntriesByType(type: string): unknown[] } }).performance;
  const [navigation] = entries.getEntriesByType('navigation') as Array<Entry & { domContentLoadedEventEnd: number; loadEventEnd: number }>;
  const resources = entries.getEntriesByType('resource') as Entry[];
  const bytes = { total: navigation.transferSize, scripts_styles: 0, graphql: 0, other: navigation.transferSize };
  const graphql: Array<{ startMs: number; endMs: number; bytes: number }> = [];
  for (const entry of resources) {
    bytes.total += entry.transferSize;
    if (new URL(entry.name).pathname === '/graphql') {
      bytes.graphql += entry.transferSize;
      graphql.push({ startMs: entry.startTime, endMs: entry.responseEnd, bytes: entry.transferSize });
    }
    else if (/\.(m?js|css)$/.test(new URL(entry.name).pathname)) bytes.scripts_styles += entry.transferSize;
    else bytes.other += entry.transferSize;
  }
  return { contentMs: page.__contentShownAt ?? null, domContentLoadedMs: navigation.domContentLoadedEventEnd, loadEventMs: navigation.loadEventEnd, bytes, graphql };
}

/** One cold first load of `scenario` in a new context of `browser` (with `storageState` when signed in). */
async function coldLoad(browser: Browser, origin: string, scenario: Scenario, storageState: BrowserContextOptions['storageState']): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', ...(scenario.signedIn ? { storageState } : {}) });
  try {
    await context.addInitScript(watchForContent, scenario.content);
    const page = await context.newPage();
    page.setDefaultTimeout(CONTENT_TIMEOUT_MS);
    const operations: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname !== '/graphql') return;
      let body: unknown;
      try {
        body = request.method() === 'GET' ? { operationName: new URL(request.url()).searchParams.get('operationName') } : request.postDataJSON();
      } catch {
        body = undefined;
      }
      for (const item of Array.isArray(body) ? body : [body]) operations.push((item as { operationName?: string } | undefined)?.operationName ?? '(anonymous)');
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${origin}${scenario.path}`, { waitUntil: 'commit' });
    await page
      .waitForFunction(() => (globalThis as unknown as { __contentShownAt?: number }).__contentShownAt !== undefined, undefined, { polling: 50 })
      .catch((error: Error) => {
        throw new Error(`${scenario.name}: no visible \`${scenario.content}\` with text at ${page.url()} within ${CONTENT_TIMEOUT_MS} ms (${errors.join('; ') || 'no page error'}): ${error.message}`);
      });
    await page.waitForLoadState('load');
    await page.waitForLoadState('networkidle');
    const timings = await page.evaluate(readTimings);
    if (errors.length) throw new Error(`${scenario.name}: the page reported errors: ${errors.join('; ')}`);
    if (scenario.signedIn && new URL(page.url()).pathname !== scenario.path) throw new Error(`${scenario.name}: landed on ${page.url()}`);
    const paired = timings.graphql.length === operations.length;
    const graphqlTimeline = timings.graphql
      .sort((a, b) => a.startMs - b.startMs)
      .map((entry, index) => ({ operation: paired ? operations[index] : null, start_ms: round(entry.startMs), end_ms: round(entry.endMs), bytes: entry.bytes }));
    return { contentMs: timings.contentMs!, domContentLoadedMs: timings.domContentLoadedMs, loadEventMs: timings.loadEventMs, operations, bytes: timings.bytes, graphqlTimeline };
  } finally {
    await context.close();
  }
}

/** Creates the demo's ecosystem through GraphQL, syncs it with the worker and waits for the stage evaluations. */
async function seedDemoData(origin: string, worker: INestApplicationContext, env: TestEnv): Promise<void> {
  const dataSource = worker.get(DataSource);
  const { secret: token } = await new ApiTokenService(dataSource).create({ name: 'bench-console', role: 'admin' });
  const graphqlUrl = `${origin}/graphql`;
  await graphqlRequest(graphqlUrl, CREATE_ECOSYSTEM, { slug: ECOSYSTEM.slug, name: ECOSYSTEM.name }, token);
  for (const source of ECOSYSTEM.sources) await graphqlRequest(graphqlUrl, ADD_TRACKED_SOURCE, { ecosystem: ECOSYSTEM.slug, ...source }, token);
  const [{ id: ecosystemId }] = await dataSource.query(`SELECT id FROM ecosystem WHERE slug = $1`, [ECOSYSTEM.slug]);
  const started = performance.now();
  await graphqlRequest(graphqlUrl, START_SYNC, { ecosystem: ECOSYSTEM.slug }, token);
  const progressService = worker.get(SyncProgressService, { strict: false });
  const queue = worker.get<Queue>(getQueueToken(QueueName.GithubSync));
  // as the demo waits: nothing of the sync queue pending (the scheduler's delayed run left out), every repository settled
  const progress = await waitUntil(
    'the sync of the RWKV ecosystem',
    async () => {
      const now = await progressService.progress(ecosystemId);
      const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
      const pending = Object.values(counts).reduce((sum, count) => sum + count, 0);
      const settled = now.repositories.done + now.repositories.failed;
      return pending === 0 && now.repositories.total > 0 && settled === now.repositories.total ? now : undefined;
    },
    { timeoutMs: SYNC_TIMEOUT_MS, intervalMs: 1000 },
  );
  log(
    `synced in ${round((performance.now() - started) / 1000, 1)} s: ${progress.repositories.done}/${progress.repositories.total} repositories ` +
      `(${progress.repositories.failed} failed), ${progress.commits} commits, ${progress.pullRequests} pull requests, ${progress.activities} activities`,
  );
  if (progress.repositories.failed > 0) throw new Error(`${progress.repositories.failed} repositories failed to sync`);
  const redis = { url: process.env.REDIS_URL!, prefix: env.queuePrefix };
  log(`stage evaluations done:\n${await stageSummaryLine(dataSource, ecosystemId, redis, SYNC_TIMEOUT_MS)}`);
}

/**
 * What test/helpers/global-teardown.js does after a test run: drops the template database the run's
 * database was cloned from, and deletes the Redis keys under the run's queue prefix.
 */
async function removeLeftovers(queuePrefix: string | undefined): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(templateDatabaseName())} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  if (!queuePrefix) return;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0];
  // one template name for the whole run (test-database.ts names it after the run id, else the current second)
  process.env.CAMBRIAN_TEST_RUN_ID ??= `${Math.floor(Date.now() / 1000)}_bench_console`;
  let env: TestEnv | undefined;
  let sim: GithubSim | undefined;
  let api: NestFastifyApplication | undefined;
  let worker: INestApplicationContext | undefined;
  let browser: Browser | undefined;
  try {
    log('starting the simulator (RWKV export), a database, the api serving dist/console and a worker');
    ({ env, sim } = await startConsoleEnv({ WORKER_CONCURRENCY: '4' }));
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    const origin = originOf(api);
    worker = await NestFactory.createApplicationContext(BenchWorkerModule, { logger: false });
    await seedDemoData(origin, worker, env);

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const signInContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    const signInPage = await signInContext.newPage();
    await signInFromConsole(signInPage, origin);
    const storageState = await signInContext.storageState();
    await signInContext.close();
    log(`signed in as the admin; ${storageState.cookies.length} cookies carried into each signed-in load`);

    // one warm-up load of each (the api's first GraphQL requests, Chromium's first start), not counted
    for (const scenario of SCENARIOS) await coldLoad(browser, origin, scenario, storageState);
    const loads = new Map<Scenario['name'], Load[]>(SCENARIOS.map((scenario) => [scenario.name, []]));
    for (let run = 1; run <= RUNS; run += 1) {
      for (const scenario of SCENARIOS) {
        const load = await coldLoad(browser, origin, scenario, storageState);
        loads.get(scenario.name)!.push(load);
        log(
          `run ${run}/${RUNS} ${scenario.name}: content ${round(load.contentMs)} ms, DOMContentLoaded ${round(load.domContentLoadedMs)} ms, ` +
            `load ${round(load.loadEventMs)} ms, ${load.bytes.total} bytes, GraphQL ${load.operations.length} [${load.operations.join(', ')}]`,
        );
      }
    }

    const figures: Record<string, unknown> = { runs: RUNS };
    const baseline = median(loads.get('baseline')!.map((load) => load.contentMs));
    const operations: Record<string, { count: number; operations: string[]; median_run_content_ms: number; median_run_timeline: Load['graphqlTimeline'] }> = {};
    const bytes: Record<string, Load['bytes']> = {};
    let stable = true;
    let meetsGoal = true;
    for (const scenario of SCENARIOS) {
      const runs = loads.get(scenario.name)!;
      const content = runs.map((load) => load.contentMs);
      figures[`first_load_${scenario.name}_median_ms`] = round(median(content));
      figures[`first_load_${scenario.name}_min_ms`] = round(Math.min(...content));
      figures[`first_load_${scenario.name}_max_ms`] = round(Math.max(...content));
      figures[`first_load_${scenario.name}_runs_ms`] = content.map((value) => round(value));
      figures[`dom_content_loaded_${scenario.name}_median_ms`] = round(median(runs.map((load) => load.domContentLoadedMs)));
      figures[`load_event_${scenario.name}_median_ms`] = round(median(runs.map((load) => load.loadEventMs)));
      if (scenario.name === 'baseline') continue;
      figures[`ratio_first_load_${scenario.name}_to_baseline`] = round(median(content) / baseline, 1);
      meetsGoal &&= median(content) < GOAL_MS;
      // the GraphQL requests of the run whose content time is the median: when each started and answered
      const medianRun = [...runs].sort((a, b) => a.contentMs - b.contentMs)[Math.floor(runs.length / 2)];
      operations[scenario.name] = { count: runs[0].operations.length, operations: runs[0].operations, median_run_content_ms: round(medianRun.contentMs), median_run_timeline: medianRun.graphqlTimeline };
      stable &&= runs.every((load) => load.operations.join() === runs[0].operations.join());
      bytes[scenario.name] = {
        total: median(runs.map((load) => load.bytes.total)),
        scripts_styles: median(runs.map((load) => load.bytes.scripts_styles)),
        graphql: median(runs.map((load) => load.bytes.graphql)),
        other: median(runs.map((load) => load.bytes.other)),
      };
    }
    figures.meets_goal_2s = meetsGoal;
    figures.graphql_operations_per_page = operations;
    figures.graphql_operations_stable = stable;
    figures.bytes_transferred_per_page = bytes;
    figures.load_average_1m = { start: round(loadAtStart, 2), end: round(loadavg()[0], 2) };
    console.log(JSON.stringify(figures));
  } finally {
    await browser?.close();
    await closeWorker(worker);
    await api?.close();
    await sim?.close();
    await env?.teardown();
    await removeLeftovers(env?.queuePrefix).catch((error: Error) => log(`could not remove the run's template database or Redis keys: ${error.message}`));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
