import type { Provider } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { redisConnectionOptions } from '#libs/queue';
import { LEADERBOARD_CACHE, LeaderboardCache } from './leaderboard-cache.js';
import type { LeaderboardEntry } from './leaderboard.service.js';

/**
 * The process's leaderboard page cache on `REDIS_URL` (keys `<QUEUE_PREFIX>:leaderboard:*`, TTL
 * `LEADERBOARD_CACHE_SECONDS`), or null when that is 0. Commands fail at once while Redis is away
 * (no offline queue), so the leaderboard is then computed rather than kept waiting.
 */
export const leaderboardCacheProvider: Provider = {
  provide: LEADERBOARD_CACHE,
  inject: [CAMBRIAN_CONFIG],
  useFactory: (config: CambrianConfig): LeaderboardCache<LeaderboardEntry> | null =>
    config.LEADERBOARD_CACHE_SECONDS === 0
      ? null
      : new LeaderboardCache<LeaderboardEntry>({
          redis: new Redis({
            ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions),
            maxRetriesPerRequest: 1,
            enableOfflineQueue: false,
          }),
          keyPrefix: `${config.QUEUE_PREFIX}:leaderboard`,
          ttlSeconds: config.LEADERBOARD_CACHE_SECONDS,
        }),
};
