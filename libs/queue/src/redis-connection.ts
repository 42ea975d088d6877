import type { ConnectionOptions } from 'bullmq';

/**
 * BullMQ connection options from a `redis://` or `rediss://` URL.
 * `maxRetriesPerRequest: null` is what BullMQ requires for workers (blocking commands);
 * the connection retries with a capped backoff while Redis is away.
 */
export function redisConnectionOptions(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 6379),
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(times * 200, 5000),
  };
}
