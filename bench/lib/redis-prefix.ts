import { Redis } from 'ioredis';

/**
 * Deletes every Redis key under `prefix` (`<prefix>:*`): what a benchmark's api and workers left
 * there — every queue's keys, job schedulers included, not only the queues the benchmark reads — so a
 * run, finished or failed, leaves nothing behind. SCAN, not KEYS: Redis keeps serving meanwhile.
 * @returns how many keys were deleted.
 */
export async function removeKeysUnder(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}
