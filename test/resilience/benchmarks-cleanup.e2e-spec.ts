import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { databaseUrlFor, dropDatabase } from '#libs/db';
import { TEST_SERVER_URL } from '../helpers/test-database.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

/**
 * Hostile review of test/resilience/benchmarks.e2e-spec.ts: the smoke test gives each benchmark a Redis
 * prefix of its own (`cambrian-bench-test-<hex>`, `cambrian-soak-test-<hex>`) that does not start with the
 * run's id, so global-teardown.js never removes its keys, and the smoke test removes none itself (its
 * afterAll drops databases only). The benchmarks obliterate only the webhooks (and, soak, stages) queue:
 * the api and workers they start leave the other queues' keys behind — 6 `meta` keys per webhooks run, and
 * 41 keys per soak run, repeatable jobs (merge-sweep, plan-digests, reconcile-ecosystems...) included, found
 * in this machine's Redis under `cambrian-soak-test-*` from earlier runs. Every `npm test` adds more.
 * This runs the webhooks benchmark exactly as the smoke test does, then the smoke test's own cleanup, and
 * expects nothing left under the prefix. Needs `npm run build`.
 */
describe('benchmarks smoke test cleanup', () => {
  const suffix = randomBytes(4).toString('hex');
  const database = `cambrian_bench_cleanup_test_${suffix}`;
  const prefix = `cambrian-bench-test-${suffix}`;
  const redis = new Redis(TEST_REDIS_URL);
  const keys = async () => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found.sort();
  };

  afterAll(async () => {
    const left = await keys();
    if (left.length > 0) await redis.del(...left); // this test's own leftovers
    await redis.quit();
  });

  it('webhooks: no Redis key is left under the benchmark prefix once the smoke test has cleaned up', async () => {
    const { CAMBRIAN_SECRETS_KEY: _ignored, ...inherited } = process.env;
    await promisify(execFile)(process.execPath, ['dist/bench/webhooks.js'], {
      env: {
        ...inherited,
        NODE_ENV: 'development',
        DATABASE_URL: TEST_SERVER_URL,
        REDIS_URL: TEST_REDIS_URL,
        BENCH_DATABASE: database,
        BENCH_QUEUE_PREFIX: prefix,
        BENCH_SECONDS: '1',
        BENCH_CONNECTIONS: '4',
      },
      maxBuffer: 64 * 1024 * 1024,
    });
    // the smoke test's afterAll: databases only
    await dropDatabase(databaseUrlFor(TEST_SERVER_URL, database)).catch(() => undefined);
    expect(await keys()).toEqual([]);
  }, 300_000);
});
