/**
 * Soak benchmark (issue 9): `npm run bench -- soak` (runs dist/bench/soak.js).
 *
 * The compiled api and two compiled workers as child processes (production mode, logs at info to
 * files), and a load generator in a process of its own sending signed `issue_comment` deliveries
 * (~12 KB, the GitHub example spread over 20 repositories, 100 issues and 97 commenters, a fresh
 * comment id and delivery id each) at a fixed rate for a fixed time. Half-way one worker is killed
 * (SIGKILL) and started again a few seconds later. Measured:
 *  - deliveries sent, acknowledged (2xx) during the load, redelivered after it (those not answered 2xx
 *    within 10 s, as GitHub would: same id, same body), stored (rows) and processed, which must
 *    end equal; every acknowledged delivery id found among the rows; one `issue_comment` activity per delivery
 *    (applied exactly once; a delivery the killed worker was running is run again, idempotently,
 *    and counted in `rows_run_more_than_once`);
 *  - acknowledgement latency (from sending to the end of the answer, ms) p50/p95/p99 in the
 *    unperturbed stretch after warm-up and before the kill (the baseline), inside the kill window
 *    (kill → restarted worker processing again + 5 s), after it, and outside it (baseline + after);
 *  - where the api's handler spent the baseline's acknowledgements, per step (signature, insert to
 *    commit, enqueue to Redis): the mean and the histogram bucket holding the p99
 *    (`ack_step_<step>_mean_ms_baseline`, `ack_step_<step>_p99_le_ms_baseline`, from the api's
 *    `cambrian_webhook_ack_step_duration_seconds` scraped after warm-up and at the kill);
 *  - resident memory of the api and of each worker after warm-up and at the end of the load, and
 *    their ratio (the restarted worker is a new process: its figure compares processes, not a leak);
 *  - CPU seconds each process used during the load (where the machine's two cores went);
 *  - the time the workers take to drain the queue once the load stops.
 * Progress goes to stderr; the last line on stdout is one JSON object.
 *
 * The api uses a fresh database (`cambrian_soak`, or SOAK_DATABASE, on the DATABASE_URL server, dropped and created)
 * and the queue prefix `cambrian-soak` (every key under it deleted before and after); the log files are kept in a
 * temporary directory (printed).
 *
 * Environment: DATABASE_URL, REDIS_URL (defaults: local); SOAK_RATE (deliveries/s, default 500),
 * SOAK_SECONDS (default 300), SOAK_WARMUP_SECONDS (default a fifth of SOAK_SECONDS, within 10–30 s),
 * SOAK_KILL_DOWN_SECONDS (how long the killed worker stays down, default 5), SOAK_DRAIN_SECONDS
 * (how long to wait for the queue to drain, default 1800), SOAK_WORKER_CONCURRENCY (deliveries each
 * worker processes at once, WEBHOOK_WORKER_CONCURRENCY; default: the workers' own default), SOAK_WORKER_NICE (a niceness for the workers, e.g. 10: the kernel then gives
 * the api's acknowledgements the CPU first; default 0, as the processes would run by default),
 * SOAK_PROFILE (a directory: V8 CPU profiles of the api and workers), SOAK_DATABASE and SOAK_QUEUE_PREFIX
 * (defaults `cambrian_soak` and `cambrian-soak`: two runs on one machine need names of their own).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '#libs/config';
import { databaseUrlFor, recreateDatabase } from '#libs/db';
import { QueueName, redisConnectionOptions, resetRedisPrefix } from '#libs/queue';
import { API_LISTENING, AppProcess } from '../test/helpers/app-process.js';
import { ackStepFigures, scrapeAckSteps } from './lib/ack-steps.js';
import { cpuSeconds, rssBytes } from './lib/process-usage.js';
import { productionSecrets } from './lib/production-secrets.js';
import type { LoadPlan, LoadProgress, LoadResult, Redeliver, Redelivered } from './lib/soak-load.js';

const SECRET = 'soak-webhook-secret';
const QUEUE_PREFIX = process.env.SOAK_QUEUE_PREFIX || 'cambrian-soak';
const DATABASE = process.env.SOAK_DATABASE || 'cambrian_soak';
const RATE = positive('SOAK_RATE', 500);
const SECONDS = positive('SOAK_SECONDS', 300);
const WARMUP_SECONDS = positive('SOAK_WARMUP_SECONDS', Math.min(30, Math.max(10, Math.round(SECONDS / 5)), SECONDS / 4));
const KILL_DOWN_SECONDS = positive('SOAK_KILL_DOWN_SECONDS', 5);
const DRAIN_SECONDS = positive('SOAK_DRAIN_SECONDS', 1800);
/** After the restarted worker processes again, latencies are still counted in the kill window this long (s). */
const KILL_WINDOW_TAIL_SECONDS = 5;
const KILL_AT_SECONDS = SECONDS / 2;
const WORKER_NICE = Number(process.env.SOAK_WORKER_NICE || 0);

const log = (message: string) => console.error(`[bench soak] ${message}`);

if (!Number.isInteger(WORKER_NICE) || WORKER_NICE < 0 || WORKER_NICE > 19) {
  throw new Error(`SOAK_WORKER_NICE must be a niceness from 0 to 19, got "${process.env.SOAK_WORKER_NICE}"`);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of ${name === 'SOAK_RATE' ? 'deliveries per second' : 'seconds'}, got "${raw}"`);
  return value;
}

/** Percentiles (nearest rank) of `values`, rounded to 0.1 ms; null when there are none (a stretch the run did not reach). */
function percentiles(values: number[]): { n: number; p50: number | null; p95: number | null; p99: number | null; max: number | null } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 10) / 10 : null);
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

/** A free TCP port on 127.0.0.1 (bound, then released). */
async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Busy and total jiffies of the whole machine (/proc/stat, every core): busy excludes idle and iowait. */
function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, n) => sum + n, 0);
  return { busy: total - fields[3] - fields[4], total };
}

/** Stage evaluations waiting in Postgres (the `stage_evaluation_outbox` table, where there is one). */
async function pendingStageEvaluations(db: pg.Pool): Promise<number> {
  const { rows } = await db.query(`SELECT to_regclass('stage_evaluation_outbox') IS NOT NULL AS present`);
  if (!rows[0].present) return 0;
  const { rows: pending } = await db.query(`SELECT count(*)::int AS n FROM stage_evaluation_outbox`);
  return pending[0].n as number;
}

const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? Math.round((a / b) * 1000) / 1000 : null);
const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const config = loadConfig();
  const databaseUrl = databaseUrlFor(config.DATABASE_URL, DATABASE);
  // the processes run in production mode, which needs a secrets key of its own
  const secrets = productionSecrets(config);
  await recreateDatabase(databaseUrl, secrets.box);
  const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(config.REDIS_URL), prefix: QUEUE_PREFIX });
  await resetRedisPrefix(config.REDIS_URL, QUEUE_PREFIX); // a failed run's leftovers
  const stagesQueue = new Queue(QueueName.Stages, { connection: redisConnectionOptions(config.REDIS_URL), prefix: QUEUE_PREFIX });
  const logs = mkdtempSync(join(tmpdir(), 'cambrian-soak-'));
  const profile = process.env.SOAK_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SOAK_PROFILE}`] : [];
  log(`${RATE} deliveries/s for ${SECONDS} s (warm-up ${WARMUP_SECONDS} s, a worker killed at ${KILL_AT_SECONDS} s for ${KILL_DOWN_SECONDS} s); logs in ${logs}`);

  const port = await sparePort();
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production',
    ...secrets.env,
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX,
    GITHUB_WEBHOOK_SECRETS: SECRET,
    HOST: '127.0.0.1',
    // one address sends everything: the per-address limits would measure themselves
    RATE_LIMIT_WEBHOOK_PER_IP: 'off',
    RATE_LIMIT_GRAPHQL_PER_IP: 'off',
    RATE_LIMIT_GRAPHQL_PER_TOKEN: 'off',
    ...(process.env.SOAK_WORKER_CONCURRENCY ? { WEBHOOK_WORKER_CONCURRENCY: process.env.SOAK_WORKER_CONCURRENCY } : {}),
  };
  const api = AppProcess.start('api', { ...env, PORT: String(port) }, { logFile: join(logs, 'api.log'), nodeOptions: profile });
  const startWorker = (name: string) => {
    const worker = AppProcess.start('worker', env, { logFile: join(logs, `${name}.log`), nodeOptions: profile });
    if (WORKER_NICE) setPriority(worker.pid, WORKER_NICE);
    return worker;
  };
  const workers = [startWorker('worker-a'), startWorker('worker-b')];
  const everyProcess = () => [api, ...workers];
  const loadBefore = loadavg()[0];
  let generator: ChildProcess | undefined;
  try {
    await api.logged(API_LISTENING, 120);
    await Promise.all(workers.map((worker) => worker.logged('processing queues', 120)));
    const url = `http://127.0.0.1:${port}`;

    // the load generator
    const load = fork(new URL('./lib/soak-load.js', import.meta.url), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    generator = load;
    let onRedelivered: ((status: number[]) => void) | undefined;
    const finished = new Promise<LoadResult>((resolve, reject) => {
      load.on('message', (message: LoadProgress | LoadResult | Redelivered) => {
        if (message.type === 'result') resolve(message);
        else if (message.type === 'redelivered') onRedelivered?.(message.status);
        else log(`t=${message.at.toFixed(0)} s: sent ${message.sent}, acknowledged ${message.acknowledged}, in flight ${message.inFlight}`);
      });
      load.once('exit', (code) => reject(new Error(`the load generator exited with code ${code} before reporting`)));
    });
    const redeliver = (indices: number[]) =>
      new Promise<number[]>((resolve) => {
        onRedelivered = resolve;
        load.send({ type: 'redeliver', indices } satisfies Redeliver);
      });
    const plan: LoadPlan = { type: 'plan', url, secret: SECRET, rate: RATE, seconds: SECONDS, timeoutSeconds: 10 };
    const startedAt = Date.now();
    load.send(plan);
    const secondsSinceStart = () => (Date.now() - startedAt) / 1000;
    const cpuAtStart = everyProcess().map((child) => cpuSeconds(child.pid));
    const machineAtStart = machineCpu();

    // warm-up, then memory at the start
    await sleep(WARMUP_SECONDS * 1000);
    const rssStart = everyProcess().map((child) => rssBytes(child.pid));
    const cpuAfterWarmup = everyProcess().map((child) => cpuSeconds(child.pid));
    const stepsAfterWarmup = await scrapeAckSteps(url);
    log(`after warm-up: RSS api ${mib(rssStart[0])} MiB, workers ${mib(rssStart[1])} / ${mib(rssStart[2])} MiB`);

    // the kill and the restart
    await sleep(Math.max(0, (KILL_AT_SECONDS - secondsSinceStart()) * 1000));
    const stepsAtKill = await scrapeAckSteps(url);
    const killed = workers[1];
    const cpuKilledWorker = cpuSeconds(killed.pid);
    const killAt = secondsSinceStart();
    await killed.kill();
    log(`t=${killAt.toFixed(1)} s: worker b killed (SIGKILL)`);
    await sleep(KILL_DOWN_SECONDS * 1000);
    workers[1] = startWorker('worker-b-restarted');
    await workers[1].logged('processing queues', 120);
    const backAt = secondsSinceStart();
    log(`t=${backAt.toFixed(1)} s: worker b restarted and processing`);

    const result = await finished;
    const rssEnd = everyProcess().map((child) => rssBytes(child.pid));
    const cpuEnd = everyProcess().map((child) => cpuSeconds(child.pid));
    const machineAtEnd = machineCpu();
    log(`load done: RSS api ${mib(rssEnd[0])} MiB, workers ${mib(rssEnd[1])} / ${mib(rssEnd[2])} MiB`);

    // GitHub redelivers what was not answered 2xx (no answer within 10 s, or a 5xx): so does the soak
    const ok = (status: number) => status >= 200 && status < 300;
    let unstored = result.status.flatMap((status, i) => (ok(status) ? [] : [i]));
    const redelivered = unstored.length;
    let redeliveryRounds = 0;
    while (unstored.length > 0 && redeliveryRounds < 5) {
      redeliveryRounds++;
      log(`redelivering ${unstored.length} deliveries not acknowledged (round ${redeliveryRounds})`);
      const statuses = await redeliver(unstored);
      unstored = unstored.filter((_, k) => !ok(statuses[k]));
    }
    const loadEndedAt = Date.now();

    // drain: every stored delivery processed (or ignored), the queue empty
    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    let drainSeconds: number | null = null;
    try {
      for (let waited = 0; waited <= DRAIN_SECONDS * 1000; waited += 250) {
        const { rows } = await db.query(`SELECT count(*) FILTER (WHERE status IN ('received', 'failed'))::int AS pending FROM webhook_delivery`);
        const jobs = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (rows[0].pending === 0 && Object.values(jobs).every((n) => n === 0)) {
          drainSeconds = (Date.now() - loadEndedAt) / 1000;
          break;
        }
        if (waited % 10_000 === 0) log(`draining: ${rows[0].pending} deliveries not processed yet, jobs ${JSON.stringify(jobs)}`);
        await sleep(250);
      }
      if (drainSeconds === null) log(`the queue did not drain within ${DRAIN_SECONDS} s`);
      const cpuDrained = everyProcess().map((child) => cpuSeconds(child.pid));

      // then the stage evaluations the deliveries requested (the `stages` queue; its hourly lapse-check scheduler
      // stays delayed, so delayed jobs beyond the schedulers count), and what the workers spent on them too
      let stagesDrainSeconds: number | null = null;
      let stagesJobsLeft: Record<string, number> = {};
      for (let waited = 0; waited <= DRAIN_SECONDS * 1000; waited += 250) {
        const jobs = await stagesQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        const schedulers = await stagesQueue.getJobSchedulersCount();
        stagesJobsLeft = { ...jobs, delayed: Math.max(0, jobs.delayed - schedulers) };
        const pendingEvaluations = await pendingStageEvaluations(db);
        if (pendingEvaluations === 0 && Object.values(stagesJobsLeft).every((n) => n === 0)) {
          stagesDrainSeconds = (Date.now() - loadEndedAt) / 1000;
          break;
        }
        if (waited % 10_000 === 0) log(`draining stage evaluations: ${pendingEvaluations} pending in Postgres, jobs ${JSON.stringify(stagesJobsLeft)}`);
        await sleep(250);
      }
      if (stagesDrainSeconds === null) log(`the stage evaluations did not drain within ${DRAIN_SECONDS} s`);
      const cpuStagesDrained = everyProcess().map((child) => cpuSeconds(child.pid));
      const redis = new Redis(config.REDIS_URL, { lazyConnect: true });
      const stagesQueueKeys = await redis.eval(`return #redis.call('keys', ARGV[1])`, 0, `${QUEUE_PREFIX}:${QueueName.Stages}:*`).finally(() => redis.quit());
      const rssDrained = everyProcess().map((child) => rssBytes(child.pid));
      load.disconnect();

      // counts
      const acknowledgedIds = result.delivery.filter((_, i) => result.status[i] >= 200 && result.status[i] < 300);
      const { rows: counts } = await db.query(
        `SELECT count(*)::int AS rows,
                count(*) FILTER (WHERE status = 'processed')::int AS processed,
                count(*) FILTER (WHERE status = 'failed')::int AS failed,
                count(*) FILTER (WHERE attempts > 1)::int AS rerun,
                count(*) FILTER (WHERE delivery_id = ANY($1::text[]))::int AS acknowledged_found,
                count(*) FILTER (WHERE delivery_id = ANY($2::text[]))::int AS sent_found
           FROM webhook_delivery`,
        [acknowledgedIds, result.delivery],
      );
      const { rows: activities } = await db.query(
        `SELECT count(*)::int AS n, count(DISTINCT source_key)::int AS keys FROM activity WHERE type = 'issue_comment'`,
      );
      const figures = counts[0] as { rows: number; processed: number; failed: number; rerun: number; acknowledged_found: number; sent_found: number };

      // latencies by stretch of the run (times relative to the generator's t0)
      const offset = (startedAt - result.startedAtEpochMs) / 1000;
      const windowStart = killAt + offset;
      const windowEnd = backAt + offset + KILL_WINDOW_TAIL_SECONDS;
      const stretch = (from: number, to: number) =>
        result.latencyMs.filter((latency, i) => latency >= 0 && result.sentAtMs[i] / 1000 >= from && result.sentAtMs[i] / 1000 < to);
      const baseline = percentiles(stretch(WARMUP_SECONDS, windowStart));
      const inside = percentiles(stretch(windowStart, windowEnd));
      const after = percentiles(stretch(windowEnd, Infinity));
      const outside = percentiles([...stretch(WARMUP_SECONDS, windowStart), ...stretch(windowEnd, Infinity)]);
      const all = percentiles(result.latencyMs.filter((latency) => latency >= 0));
      const lag = percentiles(result.sentAtMs.map((sentAt, i) => sentAt - result.dueAtMs[i]));
      const sent = result.status.length;
      const acknowledged = acknowledgedIds.length;
      const non2xx = result.status.filter((status) => status !== 0 && (status < 200 || status >= 300)).length;
      const unanswered = result.status.filter((status) => status === 0).length;
      const loadSeconds = (loadEndedAt - startedAt) / 1000;
      const cpu = (i: number, from: number[]) => Math.round((cpuEnd[i] - from[i]) * 10) / 10;
      log(
        `sent ${sent}, acknowledged ${acknowledged}, rows ${figures.rows}, processed ${figures.processed}, activities ${activities[0].n}; ` +
          `p99 ${outside.p99} ms outside the kill window (baseline ${baseline.p99} ms), ${inside.p99} ms inside; drain ${drainSeconds} s`,
      );

      console.log(
        JSON.stringify({
          scenario: `api + 2 workers${WORKER_NICE ? ` (nice ${WORKER_NICE})` : ''} processing ${process.env.SOAK_WORKER_CONCURRENCY || config.WEBHOOK_WORKER_CONCURRENCY} deliveries at once each, ${RATE} deliveries/s for ${SECONDS} s, worker b SIGKILLed at ${killAt.toFixed(1)} s for ${KILL_DOWN_SECONDS} s`,
          rate_per_s: RATE,
          seconds: SECONDS,
          warmup_seconds: WARMUP_SECONDS,
          body_bytes: result.bodyBytes,
          deliveries_sent: sent,
          // during the load; those not acknowledged were then redelivered (same id and body), as GitHub would
          deliveries_acknowledged: acknowledged,
          deliveries_non_2xx: non2xx,
          deliveries_unanswered: unanswered,
          deliveries_redelivered: redelivered,
          redelivery_rounds: redeliveryRounds,
          deliveries_never_acknowledged: unstored.length,
          rows_stored: figures.rows,
          rows_processed: figures.processed,
          rows_failed: figures.failed,
          rows_run_more_than_once: figures.rerun,
          acknowledged_missing: acknowledged - figures.acknowledged_found,
          sent_missing: sent - figures.sent_found,
          issue_comment_activities: activities[0].n,
          issue_comment_activity_keys: activities[0].keys,
          // deliveries over the seconds from the first send to the last (the generator keeps its schedule unless starved of CPU)
          achieved_rate_per_s: Math.round(((sent - 1) / (result.sentAtMs.reduce((last, at) => Math.max(last, at), 0) / 1000)) * 10) / 10,
          generator_lag_p99_ms: lag.p99,
          generator_lag_max_ms: lag.max,
          p50_ack_ms_baseline: baseline.p50,
          p95_ack_ms_baseline: baseline.p95,
          p99_ack_ms_baseline: baseline.p99,
          p50_ack_ms_outside_kill: outside.p50,
          p95_ack_ms_outside_kill: outside.p95,
          p99_ack_ms_outside_kill: outside.p99,
          p50_ack_ms_inside_kill: inside.p50,
          p95_ack_ms_inside_kill: inside.p95,
          p99_ack_ms_inside_kill: inside.p99,
          p99_ack_ms_after_kill: after.p99,
          // where the api's handler spent the baseline's acknowledgements: signature, insert to commit, enqueue to Redis
          ...Object.fromEntries(Object.entries(ackStepFigures(stepsAfterWarmup, stepsAtKill)).map(([key, value]) => [`ack_step_${key}_baseline`, value])),
          // answered requests counted in each stretch (the after-kill stretch is empty when the restart outlasted the load)
          ack_samples_baseline: baseline.n,
          ack_samples_inside_kill: inside.n,
          ack_samples_after_kill: after.n,
          max_ack_ms_outside_kill: outside.max,
          p99_ack_ms_all: all.p99,
          p99_outside_kill_over_baseline: ratio(outside.p99, baseline.p99),
          p99_inside_kill_over_baseline: ratio(inside.p99, baseline.p99),
          kill_window_s: [Math.round(windowStart * 10) / 10, Math.round(windowEnd * 10) / 10],
          worker_restart_s: Math.round((backAt - killAt) * 10) / 10,
          rss_start_mib_api: mib(rssStart[0]),
          rss_end_mib_api: mib(rssEnd[0]),
          rss_end_over_start_api: ratio(rssEnd[0], rssStart[0]),
          rss_start_mib_worker_a: mib(rssStart[1]),
          rss_end_mib_worker_a: mib(rssEnd[1]),
          rss_end_over_start_worker_a: ratio(rssEnd[1], rssStart[1]),
          rss_start_mib_worker_b: mib(rssStart[2]),
          rss_end_mib_worker_b_restarted: mib(rssEnd[2]),
          rss_end_over_start_worker_b: ratio(rssEnd[2], rssStart[2]),
          // once the queue drained (load-held buffers released): tells growth under load from a leak
          rss_drained_mib_api: mib(rssDrained[0]),
          rss_drained_over_start_api: ratio(rssDrained[0], rssStart[0]),
          rss_drained_mib_worker_a: mib(rssDrained[1]),
          rss_drained_mib_worker_b_restarted: mib(rssDrained[2]),
          cpu_s_api: cpu(0, cpuAtStart),
          cpu_s_worker_a_with_drain: Math.round((cpuDrained[1] - cpuAtStart[1]) * 10) / 10,
          cpu_s_worker_b_with_drain: Math.round((cpuKilledWorker - cpuAtStart[2] + cpuDrained[2]) * 10) / 10,
          cpu_s_api_after_warmup_per_s: Math.round(((cpuEnd[0] - cpuAfterWarmup[0]) / (loadSeconds - WARMUP_SECONDS)) * 100) / 100,
          // what one delivery costs each side (CPU ms per delivery sent; the workers' until drained), and how busy the whole machine was during the load
          cpu_ms_per_delivery_api: Math.round(((cpuEnd[0] - cpuAtStart[0]) / sent) * 1000 * 100) / 100,
          cpu_ms_per_delivery_workers:
            Math.round(((cpuDrained[1] - cpuAtStart[1] + cpuKilledWorker - cpuAtStart[2] + cpuDrained[2]) / sent) * 1000 * 100) / 100,
          machine_cpu_busy_fraction: Math.round(((machineAtEnd.busy - machineAtStart.busy) / (machineAtEnd.total - machineAtStart.total)) * 1000) / 1000,
          machine_cores: cpus().length,
          queue_drain_s: drainSeconds === null ? null : Math.round(drainSeconds * 10) / 10,
          // the stage evaluations the deliveries requested: drained (from the end of the load), and the workers' CPU including them
          stages_drain_s: stagesDrainSeconds === null ? null : Math.round(stagesDrainSeconds * 10) / 10,
          stages_jobs_left: stagesJobsLeft,
          stages_queue_redis_keys: Number(stagesQueueKeys),
          cpu_ms_per_delivery_workers_with_stages:
            Math.round(((cpuStagesDrained[1] - cpuAtStart[1] + cpuKilledWorker - cpuAtStart[2] + cpuStagesDrained[2]) / sent) * 1000 * 100) / 100,
          load_avg_before: Math.round(loadBefore * 100) / 100,
          load_avg_after: Math.round(loadavg()[0] * 100) / 100,
          goals_met:
            unstored.length === 0 &&
            sent === figures.rows &&
            figures.sent_found === sent &&
            figures.rows === figures.processed &&
            activities[0].keys === figures.rows &&
            activities[0].n === figures.rows &&
            acknowledged === figures.acknowledged_found &&
            outside.p99 !== null &&
            outside.p99 <= 100 &&
            (ratio(rssEnd[0], rssStart[0]) ?? 2) <= 1.2 &&
            (ratio(rssEnd[1], rssStart[1]) ?? 2) <= 1.2,
          logs,
        }),
      );
    } finally {
      await db.end();
    }
  } finally {
    if (generator?.connected) generator.kill();
    await Promise.all(everyProcess().map((child) => child.stop()));
    await queue.close();
    await stagesQueue.close();
    // every queue the api and workers made (job schedulers included), not only the two read here
    await resetRedisPrefix(config.REDIS_URL, QUEUE_PREFIX);
  }
}

main().catch((error: unknown) => {
  console.error('[bench soak] failed:', error);
  process.exit(1);
});
