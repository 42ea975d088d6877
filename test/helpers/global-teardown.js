import { Redis } from 'ioredis';
import pg from 'pg';

/** Deletes every Redis key under this run's queue prefixes (see test-queue-prefix.ts). */
async function deleteRunKeys(runId) {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `cambrian-test-${runId}-*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Drops this run's template database and its Redis keys once every test file has finished. */
export default async function globalTeardown() {
  const runId = process.env.CAMBRIAN_TEST_RUN_ID;
  if (!runId) return;
  await deleteRunKeys(runId);
  const url = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(`cambrian_test_tpl_${runId}`)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
