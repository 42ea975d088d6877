import type { Provider } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { redisConnectionOptions } from '#libs/queue';
import { LEADERBOARD_CACHE, LeaderboardCache } from './leaderboard-cache.js';
import type { LeaderboardEntry } from './leaderboard.service.js';
import { CACHE_REDIS_OPTIONS } from './versioned-cache.js';

/**
 * The process's leaderboard page cache on `REDIS_URL` (keys `<QUEUE_PREFIX>:leaderboard:*`, TTL
 * `LEADERBOARD_CACHE_SECONDS`), or null when that is 0. Commands fail at once while Redis is away
 * and after a second while it does not answer ({@link CACHE_REDIS_OPTIONS}), so the leaderboard is
 * then computed rather than kept waiting.
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
            ...CACHE_REDIS_OPTIONS,
          }),
          keyPrefix: `${config.QUEUE_PREFIX}:leaderboard`,
          ttlSeconds: config.LEADERBOARD_CACHE_SECONDS,
        }),
};
