import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { databaseUrlFor, dropDatabase } from '#libs/db';
import { TEST_SERVER_URL } from '../helpers/test-database.js';
import { TEST_REDIS_URL, testQueuePrefix } from '../helpers/test-queue-prefix.js';

/**
 * Benchmarks that broke unnoticed, run at a scale small enough for the suite. Those that run the
 * compiled api and workers as production processes (`soak`, issue 9; `webhooks`) failed at start:
 * production needs CAMBRIAN_SECRETS_KEY, which they did not give their processes. The GH Archive
 * import's failed in its baseline, which copies back every table the import wrote, once a new rollup
 * was filled by a trigger. Figures of speed are not checked here (never assert wall-clock times);
 * the bookkeeping that makes their figures true is: every delivery sent is stored, processed once,
 * and found; every row the import wrote is copied back; the last line on stdout is the JSON object
 * with the named figures; no Redis key is left under a benchmark's prefix (its api and workers make
 * queues and job schedulers it never reads). Runs `dist/bench/*.js`: `npm run build` first (`npm test` does).
 */
describe('benchmarks', () => {
  const suffix = randomBytes(4).toString('hex');
  const databases: string[] = [];

  const redis = new Redis(TEST_REDIS_URL);

  afterAll(async () => {
    for (const name of databases) await dropDatabase(databaseUrlFor(TEST_SERVER_URL, name)).catch(() => undefined);
    await redis.quit();
  });

  /** Redis keys under `prefix`: a benchmark leaves none, whatever queues its api and workers made. */
  const keysUnder = async (prefix: string) => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found.sort();
  };

  /** A database name of this run's (dropped after the file) and a queue prefix of its own (under the run's id). */
  const scratch = (name: string) => {
    const database = `cambrian_${name}_test_${suffix}`;
    databases.push(database);
    return { database, prefix: testQueuePrefix() };
  };

  /** Runs `dist/bench/<name>.js` with `env`; returns the JSON object on its last stdout line. */
  async function runBench(name: string, env: Record<string, string>): Promise<Record<string, unknown>> {
    // the caller's own secrets key must not leak in: the benchmark makes one when none is set
    const { CAMBRIAN_SECRETS_KEY: _ignored, ...inherited } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, [`dist/bench/${name}.js`], {
      env: { ...inherited, NODE_ENV: 'development', DATABASE_URL: TEST_SERVER_URL, REDIS_URL: TEST_REDIS_URL, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
  }

  it('soak: every delivery sent is stored, acknowledged or redelivered, and applied once, across a worker killed mid-load', async () => {
    const { database, prefix } = scratch('soak');
    const figures = await runBench('soak', {
      SOAK_DATABASE: database,
      SOAK_QUEUE_PREFIX: prefix,
      SOAK_RATE: '40',
      SOAK_SECONDS: '8',
      SOAK_KILL_DOWN_SECONDS: '1',
      SOAK_DRAIN_SECONDS: '240',
    });
    expect(figures.deliveries_sent).toBe(320);
    expect(figures.rows_stored).toBe(320);
    expect(figures.rows_processed).toBe(320);
    expect(figures.rows_failed).toBe(0);
    expect(figures.issue_comment_activities).toBe(320);
    expect(figures.issue_comment_activity_keys).toBe(320);
    expect(figures.acknowledged_missing).toBe(0);
    expect(figures.sent_missing).toBe(0);
    expect(figures.deliveries_never_acknowledged).toBe(0);
    for (const key of ['p99_ack_ms_outside_kill', 'p99_ack_ms_inside_kill', 'rss_end_over_start_api', 'cpu_ms_per_delivery_workers', 'queue_drain_s', 'ack_step_store_mean_ms_baseline']) {
      expect(typeof figures[key]).toBe('number');
    }
    expect(await keysUnder(prefix)).toEqual([]);
  }, 420_000);

  it('webhooks: every delivery acknowledged is stored, and nothing else is', async () => {
    const { database, prefix } = scratch('bench_webhooks');
    const figures = await runBench('webhooks', {
      BENCH_DATABASE: database,
      BENCH_QUEUE_PREFIX: prefix,
      BENCH_SECONDS: '1',
      BENCH_CONNECTIONS: '4',
    });
    expect(figures.sent).toBeGreaterThan(0);
    expect(figures.acknowledged).toBe(figures.sent);
    expect(figures.stored).toBe(figures.sent);
    expect(figures.lost).toBe(0);
    expect(figures.unacknowledged_rows).toBe(0);
    expect(figures.failed_requests).toBe(0);
    expect(figures.jobs_enqueued).toBe(figures.sent);
    for (const key of ['ratio', 'p99_ms', 'rate_500_p99_ms', 'ingest_rps']) expect(typeof figures[key]).toBe('number');
    expect(await keysUnder(prefix)).toEqual([]);
  }, 300_000);

  it('gharchive: the COPY baseline restores exactly the rows the import wrote, rollups filled by triggers included', async () => {
    const { database } = scratch('bench_gharchive');
    const figures = await runBench('gharchive', { BENCH_DATABASE: database, BENCH_ACTIVITIES: '3000', BENCH_BATCH_SIZE: '1000' });
    expect(figures.all_rows_written).toBeGreaterThan(3000);
    for (const key of ['import_events_per_s', 'copy_all_rows_per_s', 'ratio_all_rows']) expect(typeof figures[key]).toBe('number');
  }, 300_000);

  it('version-counters: every committed transaction bumps the leaderboard version once, sharded and on one row', async () => {
    const { database } = scratch('bench_version_counters');
    const figures = await runBench('version-counters', { BENCH_DATABASE: database, BENCH_VC_WRITERS: '1,4', BENCH_VC_SECONDS: '0.3', BENCH_VC_RUNS: '1' });
    expect(figures.versions_match).toBe(true);
    for (const key of ['commits_per_s_4_writers_sharded', 'commits_per_s_4_writers_one_row', 'sharded_ratio_4_writers']) expect(figures[key]).toBeGreaterThan(0);
  }, 300_000);
});
