/**
 * Webhook ingestion benchmark: `npm run bench -- webhooks` (runs dist/bench/webhooks.js).
 *
 * In one run, on this machine:
 *  1. a bare Fastify hello-world POST endpoint, loaded with autocannon (the ceiling);
 *  2. the full acknowledgement path of the real apps/api — signature verification, durable insert
 *     into `webhook_delivery`, enqueue, `202` — with signed, unique deliveries (a fresh
 *     `X-GitHub-Delivery`, comment id and signature per request over a real ~12 KB issue_comment);
 *  3. a fixed-rate run at 500 deliveries/s for 10 s (autocannon `overallRate`), reporting p99 at that
 *     rate. autocannon paces per connection and per second (each connection sends its share of the
 *     second back to back), so the load is burstier than a steady 500/s; it also adds
 *     coordinated-omission samples, so its percentiles (`rate_500_p99_ms`) differ from those of the
 *     measured response times (`rate_500_p99_raw_ms`); both are reported;
 *  4. nothing lost: every delivery answered 2xx is found in `webhook_delivery`, and the table holds
 *     exactly as many rows as 2xx answers (every run sends a fixed amount, so none is cut off).
 *
 * Each server runs in a child process (autocannon does not share its event loop). The api uses a
 * fresh database (`cambrian_bench` on the DATABASE_URL server, dropped and created) and the queue
 * prefix `cambrian-bench` (every key under it deleted before and after); no worker runs, jobs pile up in Redis.
 * Progress goes to stderr; the last line on stdout is one JSON object.
 *
 * Environment: DATABASE_URL, REDIS_URL (defaults: local), BENCH_CONNECTIONS (default 20; also used by
 * the fixed-rate run unless BENCH_RATE_CONNECTIONS is set),
 * BENCH_SECONDS (length of each throughput run, default 10), BENCH_PROFILE (a directory: write V8 CPU
 * profiles of the server processes there), BENCH_DATABASE and BENCH_QUEUE_PREFIX (defaults
 * `cambrian_bench` and `cambrian-bench`: two runs on one machine need names of their own).
 */
import { loadavg } from 'node:os';
import { Queue } from 'bullmq';
import pg from 'pg';
import { loadConfig } from '#libs/config';
import { databaseUrlFor, recreateDatabase } from '#libs/db';
import { QueueName, redisConnectionOptions, resetRedisPrefix } from '#libs/queue';
import { startBenchServer, type BenchServer } from './lib/bench-server.js';
import { runAutocannon, type LoadSummary } from './lib/run-autocannon.js';
import { productionSecrets } from './lib/production-secrets.js';
import { issueCommentTemplate, signedDeliveryRequests } from './lib/signed-deliveries.js';

const SECRET = 'bench-webhook-secret';
const QUEUE_PREFIX = process.env.BENCH_QUEUE_PREFIX || 'cambrian-bench';
const DATABASE = process.env.BENCH_DATABASE || 'cambrian_bench';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FIXED_RATE = 500;
const RATE_CONNECTIONS = Number(process.env.BENCH_RATE_CONNECTIONS ?? CONNECTIONS);

const log = (message: string) => console.error(`[bench webhooks] ${message}`);

async function main(): Promise<void> {
  const config = loadConfig();
  const benchUrl = new URL(databaseUrlFor(config.DATABASE_URL, DATABASE));
  // the api runs in production mode, which needs a secrets key of its own
  const secrets = productionSecrets(config);
  await recreateDatabase(benchUrl.toString(), secrets.box);
  const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(config.REDIS_URL), prefix: QUEUE_PREFIX });
  await resetRedisPrefix(config.REDIS_URL, QUEUE_PREFIX); // a failed run's leftovers

  const loadBefore = loadavg()[0];
  const template = issueCommentTemplate();
  log(`body: issue_comment created, ${template.bytes} bytes; ${CONNECTIONS} connections; ${SECONDS} s per throughput run`);

  // 1. bare Fastify
  const bare = await startBenchServer('bare', process.env);
  let bareRun: LoadSummary;
  try {
    const requests = signedDeliveryRequests(SECRET, []);
    await runAutocannon({ url: bare.url, connections: CONNECTIONS, duration: 2, requests });
    bareRun = await runAutocannon({ url: bare.url, connections: CONNECTIONS, duration: SECONDS, requests });
    log(`bare fastify: ${bareRun.rps} req/s, p50 ${bareRun.p50} ms, p99 ${bareRun.p99} ms`);
  } finally {
    await bare.stop();
  }

  // 2-3. the real api
  const acknowledged: string[] = [];
  const requests = signedDeliveryRequests(SECRET, acknowledged);
  const api: BenchServer = await startBenchServer('api', {
    ...process.env,
    NODE_ENV: 'production',
    ...secrets.env,
    DATABASE_URL: benchUrl.toString(),
    QUEUE_PREFIX,
    GITHUB_WEBHOOK_SECRETS: SECRET,
    LOG_LEVEL: 'silent',
  });
  let warmup: LoadSummary, ingest: LoadSummary, fixed: LoadSummary;
  const runs: LoadSummary[] = [];
  try {
    warmup = await runAutocannon({ url: api.url, connections: CONNECTIONS, amount: 2000, requests });
    runs.push(warmup);
    log(`api warm-up: ${warmup.rps} req/s`);
    const amount = Math.max(3000, Math.round((warmup.rps || 500) * SECONDS));
    ingest = await runAutocannon({ url: api.url, connections: CONNECTIONS, amount, requests });
    runs.push(ingest);
    log(`api ingest: ${ingest.rps} req/s over ${ingest.seconds} s, p50 ${ingest.p50} ms, p99 ${ingest.p99} ms`);
    fixed = await runAutocannon({ url: api.url, connections: RATE_CONNECTIONS, overallRate: FIXED_RATE, amount: FIXED_RATE * 10, requests });
    runs.push(fixed);
    log(`api at ${FIXED_RATE}/s: p50 ${fixed.p50} ms, p99 ${fixed.p99} ms (measured response times: p50 ${fixed.rawP50} ms, p99 ${fixed.rawP99} ms)`);
  } finally {
    await api.stop();
  }

  // 4. nothing lost
  const client = new pg.Client({ connectionString: benchUrl.toString() });
  await client.connect();
  let stored: number, found: number;
  try {
    stored = Number((await client.query(`SELECT count(*) FROM webhook_delivery`)).rows[0].count);
    found = Number((await client.query(`SELECT count(*) FROM webhook_delivery WHERE delivery_id = ANY($1::text[])`, [acknowledged])).rows[0].count);
  } finally {
    await client.end();
  }
  const jobs = await queue.count();
  await queue.close();
  const sent = runs.reduce((sum, run) => sum + run.ok, 0);
  const failures = runs.reduce((sum, run) => sum + run.non2xx + run.errors, 0);
  log(`sent ${sent} (2xx), stored ${stored}, acknowledged but missing ${acknowledged.length - found}, non-2xx or errors ${failures}, jobs queued ${jobs}`);

  const ratio = ingest.rps / bareRun.rps;
  console.log(
    JSON.stringify({
      bare_rps: bareRun.rps,
      bare_p50_ms: bareRun.p50,
      bare_p99_ms: bareRun.p99,
      ingest_rps: ingest.rps,
      ratio: Math.round(ratio * 1000) / 1000,
      p50_ms: ingest.p50,
      p99_ms: ingest.p99,
      rate_500_p99_ms: fixed.p99,
      rate_500_p50_ms: fixed.p50,
      rate_500_p99_raw_ms: fixed.rawP99,
      sent,
      stored,
      acknowledged: acknowledged.length,
      lost: acknowledged.length - found,
      unacknowledged_rows: stored - sent,
      failed_requests: failures,
      jobs_enqueued: jobs,
      body_bytes: template.bytes,
      connections: CONNECTIONS,
      // other work on this machine skews every number: the 1-minute load average around the run
      load_avg_before: Math.round(loadBefore * 100) / 100,
      load_avg_after: Math.round(loadavg()[0] * 100) / 100,
      goals_met: ratio >= 0.1 && fixed.p99 <= 100 && acknowledged.length === found && stored === sent,
    }),
  );
}


/** Every key the api left under the prefix (all its queues, not only the one read here), however the run ended. */
const cleanUp = () => resetRedisPrefix(loadConfig().REDIS_URL, QUEUE_PREFIX);

main()
  .then(cleanUp)
  .catch(async (error: unknown) => {
    console.error('[bench webhooks] failed:', error);
    await cleanUp().catch(() => undefined);
    process.exit(1);
  });
