import { Redis } from 'ioredis';

/**
 * Deletes every Redis key under `<prefix>:` (every queue's keys, job schedulers, the GitHub token
 * budget, rate-limit state), with SCAN so Redis keeps serving meanwhile: a demo started with
 * `--fresh` then meets no jobs or rate-limit pauses of an earlier run against the database it just
 * dropped, and a benchmark, finished or failed, leaves nothing behind.
 * @returns the number of keys deleted.
 */
export async function resetRedisPrefix(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  await redis.connect();
  try {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await redis.unlink(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}
