import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Takes a slot if fewer than `max` slots count now, else answers how long to wait (ms). A slot counts
 * from when it is taken until `window` ms after it is released (the send's end); a slot never released
 * (a crashed sender) counts until `lease` ms after it was taken, plus the window. Times are Redis's own
 * clock (`TIME`), so every worker reads the same one. ARGV: window, max, lease, slot id.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1]); local max = tonumber(ARGV[2]); local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < max then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], lease + window)
  return -1
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
local ends = tonumber(first[2])
if ends > now then return 0 end
return ends + window - now
`;

/** Releases a slot: from now on it counts for one more window. ARGV: window, lease, slot id. */
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[2]))
return 1
`;

/** How often a sender waiting on slots that are all in flight asks again (ms). */
const IN_FLIGHT_POLL_MS = 10;

/** Options of {@link SmtpRateLimiter}. */
export interface SmtpRateLimiterOptions {
  redis: Redis;
  /** Redis key of the sliding window (one per SMTP server and deployment). */
  key: string;
  /** Messages per window (SMTP_RATE_LIMIT). */
  max: number;
  /** Window in milliseconds (SMTP_RATE_WINDOW_MS). */
  windowMs: number;
  /** How long an unreleased slot counts as in flight (ms): longer than any SMTP transaction. */
  leaseMs: number;
}

/**
 * A sliding-window limit on messages handed to an SMTP server, shared by every worker process and every
 * concurrent job through one Redis sorted set. Case M1 (nodemailer #768, #827): nodemailer's own
 * `rateLimit`/`rateDelta` is counted per pool and checked after a message is sent, so the first burst of a
 * pool exceeds it, and two pools (two workers) double it; BullMQ's queue limiter counts job starts in fixed
 * windows, so up to twice `max` can land inside one window that straddles two of them, and it would count
 * empty digests and planning jobs too. Here a slot is taken before the message can be accepted (the SMTP
 * transport takes it just before the end of the DATA, see mail-transport.ts) and counts until a full window
 * after the server's reply, so however long each transaction takes, no `max + 1` messages are accepted by
 * the server within any `windowMs`.
 */
export class SmtpRateLimiter {
  constructor(private readonly options: SmtpRateLimiterOptions) {}

  /** Waits until the slot `slot` (a unique id) is taken. */
  async acquire(slot: string): Promise<void> {
    const { redis, key, max, windowMs, leaseMs } = this.options;
    for (;;) {
      const wait = Number(await redis.eval(ACQUIRE, 1, key, windowMs, max, leaseMs, slot));
      if (wait < 0) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(wait, IN_FLIGHT_POLL_MS)));
    }
  }

  /** Releases a slot once its send ended (either way): it counts for one more window from now. */
  async release(slot: string): Promise<void> {
    await this.options.redis.eval(RELEASE, 1, this.options.key, this.options.windowMs, this.options.leaseMs, slot);
  }

  /**
   * Waits for a slot, runs `send`, and releases the slot when `send` settles (either way).
   * @returns what `send` returns; rethrows what it throws
   */
  async run<T>(send: () => Promise<T>): Promise<T> {
    const slot = randomUUID();
    await this.acquire(slot);
    try {
      return await send();
    } finally {
      await this.release(slot);
    }
  }
}
