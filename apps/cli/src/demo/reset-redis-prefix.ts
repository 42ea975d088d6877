import { Redis } from 'ioredis';

/**
 * Deletes every Redis key under `<prefix>:` (queues, job schedulers, the GitHub token budget),
 * so a demo started with `--fresh` does not meet jobs or rate-limit pauses left by an earlier
 * run against the database it just dropped.
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
