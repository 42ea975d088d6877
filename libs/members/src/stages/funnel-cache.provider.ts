import type { Provider } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { redisConnectionOptions } from '#libs/queue';
import { CACHE_REDIS_OPTIONS } from '../queries/versioned-cache.js';
import { FUNNEL_CACHE, FunnelCache } from './funnel-cache.js';

/**
 * The process's funnel cache on `REDIS_URL` (keys `<QUEUE_PREFIX>:funnel:*`, TTL
 * `FUNNEL_CACHE_SECONDS`), or null when that is 0 or the context has no configuration. Commands
 * fail at once while Redis is away and after a second while it does not answer
 * ({@link CACHE_REDIS_OPTIONS}), so the funnel is then computed rather than kept waiting. The connection opens at the first funnel asked for (that one is computed): the
 * worker and the CLI, which import the stages module without asking for funnels, never open it.
 */
export const funnelCacheProvider: Provider = {
  provide: FUNNEL_CACHE,
  inject: [{ token: CAMBRIAN_CONFIG, optional: true }],
  useFactory: (config: CambrianConfig | undefined): FunnelCache<unknown> | null =>
    !config || config.FUNNEL_CACHE_SECONDS === 0
      ? null
      : new FunnelCache({
          redis: new Redis({
            ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions),
            ...CACHE_REDIS_OPTIONS,
            lazyConnect: true,
          }),
          keyPrefix: `${config.QUEUE_PREFIX}:funnel`,
          ttlSeconds: config.FUNNEL_CACHE_SECONDS,
        }),
};
