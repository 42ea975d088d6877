import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { pauseForAnswer, secondaryPauseSeconds, SECONDARY_LIMIT_CAP_SECONDS, type HeaderBag, type RateLimitKind } from './rate-limit-headers.js';
import { Semaphore, type RequestLimiter } from './request-limiter.js';

/**
 * Thrown instead of waiting when the token is paused for longer than the caller may hold its
 * work (a BullMQ job's lock): the job is moved back to the queue until `resumeAtMs`.
 * Its `name` is `AbortError` on purpose: the request was never sent, and @octokit/request passes an
 * AbortError from `fetch` through unwrapped, so neither the retry plugin (which would retry a
 * wrapped 500 with backoff, holding the job) nor the throttling plugin retries it.
 */
export class GithubTokenPausedError extends Error {
  readonly code = 'GITHUB_TOKEN_PAUSED';

  constructor(
    /** How long the pause still lasts, in (scaled) milliseconds from `detectedAtMs`. */
    readonly waitMs: number,
    /** Local epoch ms at which the pause was read. */
    readonly detectedAtMs: number = Date.now(),
  ) {
    super(`GitHub token paused by a rate limit for another ${Math.ceil(waitMs)} ms`);
    this.name = 'AbortError';
  }

  /** Local epoch ms after which requests on the token may run again. */
  get resumeAtMs(): number {
    return this.detectedAtMs + this.waitMs;
  }
}

/**
 * The {@link GithubTokenPausedError} behind an error, if any: Octokit wraps an error thrown by
 * `fetch` in a RequestError (status 500) with the original as `cause`.
 */
export function pausedErrorIn(error: unknown): GithubTokenPausedError | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof GithubTokenPausedError) return current;
  }
  return null;
}

/** A pause the budget started, for logs. */
export interface TokenPause {
  kind: RateLimitKind;
  /** The pause length in seconds (GitHub's unit, before scaling). */
  seconds: number;
  /** Secondary limits in a row (1 = the first); 0 for a primary limit. */
  strike: number;
}

export interface RedisTokenBudgetOptions {
  redis: Redis;
  /** Key prefix shared by every process of a deployment (e.g. `<QUEUE_PREFIX>:github-budget`). */
  keyPrefix: string;
  /** `tokenKey(baseUrl, token)`: a hash, never the token. */
  tokenKey: string;
  /** Requests in flight on the token across all processes (`GITHUB_MAX_CONCURRENCY`). */
  maxConcurrency: number;
  /** Milliseconds per second of a GitHub wait (1000; tests scale waits down). */
  msPerSecond?: number;
  /** Longest pause (seconds, unscaled) a request waits in-process; a longer one throws {@link GithubTokenPausedError}. */
  maxWaitSeconds?: number;
  /** Longest pause after repeated secondary limits (seconds, unscaled). */
  secondaryCapSeconds?: number;
  /** A slot of a crashed process is given back after this many (real) seconds. */
  leaseSeconds?: number;
  /** Poll interval (ms) while every slot is taken by other processes. */
  pollMs?: number;
  onPause?: (pause: TokenPause) => void;
}

/** Takes a slot unless the token is paused: returns [1, 0] taken, [0, ms] paused for ms, [0, -1] full. */
const ACQUIRE = `
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then return {0, ttl} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {1, 0}
end
return {0, -1}`;

/** Extends the pause to at least ARGV[1] ms; returns the pause left. */
const EXTEND_PAUSE = `
local ttl = redis.call('PTTL', KEYS[1])
local ms = tonumber(ARGV[1])
if ttl < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) return ms end
return ttl`;

/**
 * Counts a secondary limit: a new strike when the token was not paused (an answer to a request
 * sent while it was paused belongs to the same episode); the count is forgotten after ARGV[1] ms
 * without a new strike.
 */
const STRIKE = `
local strikes
if redis.call('PTTL', KEYS[1]) > 0 then
  strikes = tonumber(redis.call('GET', KEYS[2]) or '0')
  if strikes < 1 then strikes = redis.call('INCR', KEYS[2]) end
else
  strikes = redis.call('INCR', KEYS[2])
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return strikes`;

/**
 * The request budget of one GitHub token, shared by every process through Redis
 * (GitHub's limits are per token, however many workers spend it):
 * - at most `maxConcurrency` requests in flight across processes (GitHub Docs, "About secondary
 *   rate limits": no more than 100 concurrent requests), with leases that expire if a process dies;
 * - a token-wide pause: a secondary limit pauses every request of the token for `retry-after`
 *   seconds, or at least 60 s without it, doubled on repeats up to a cap; a spent primary budget
 *   (`x-ratelimit-remaining: 0`) pauses until `x-ratelimit-reset` measured against the answer's
 *   `Date` (see rate-limit-headers.ts);
 * - a request that meets a pause longer than `maxWaitSeconds` throws {@link GithubTokenPausedError}
 *   instead of waiting, so a queue job can be delayed rather than hold its lock.
 * Pauses live in Redis as keys with a TTL, so every process reads the same remaining time on
 * Redis's clock. A per-process semaphore of the same size sits in front of Redis so one process
 * never polls for its own slots.
 */
export class RedisTokenBudget implements RequestLimiter {
  private readonly local: Semaphore;
  private readonly keys: { leases: string; pause: string; strikes: string };
  private readonly msPerSecond: number;
  private readonly maxWaitMs: number;
  private readonly leaseMs: number;
  private readonly capSeconds: number;
  private gate: Promise<void> = Promise.resolve();

  constructor(private readonly options: RedisTokenBudgetOptions) {
    this.local = new Semaphore(options.maxConcurrency);
    // one hash tag per token keeps the keys of a script in one Redis Cluster slot
    const base = `${options.keyPrefix}:{${options.tokenKey}}`;
    this.keys = { leases: `${base}:leases`, pause: `${base}:pause`, strikes: `${base}:strikes` };
    this.msPerSecond = options.msPerSecond ?? 1000;
    this.maxWaitMs = (options.maxWaitSeconds ?? 30) * this.msPerSecond;
    this.leaseMs = (options.leaseSeconds ?? 120) * 1000;
    this.capSeconds = options.secondaryCapSeconds ?? SECONDARY_LIMIT_CAP_SECONDS;
  }

  get active(): number {
    return this.local.active;
  }

  get waiting(): number {
    return this.local.waiting;
  }

  /**
   * Holds every new request of this process until `release` is called. The client calls it the
   * moment an answer's status says 403 or 429, before the body is read and the pause is written
   * to Redis, so no request of this process slips out in between.
   */
  hold(): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const previous = this.gate;
    this.gate = previous.then(() => gate);
    return release;
  }

  /** Runs `work` once the token is not paused and a slot is free across processes. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.local.run(async () => {
      const lease = await this.acquire();
      try {
        return await work();
      } finally {
        await this.options.redis.zrem(this.keys.leases, lease).catch(() => undefined);
      }
    });
  }

  /**
   * Reads one answer and pauses the token when it reports a rate limit (see `pauseForAnswer`).
   * Call it before the answer's slot is released. Returns the pause started, or null.
   */
  async observe(status: number, headers: HeaderBag, message: string | undefined): Promise<TokenPause | null> {
    const request = pauseForAnswer(status, headers, message, Date.now());
    if (!request) return null;
    let pause: TokenPause;
    if (request.kind === 'secondary') {
      const forgetMs = 2 * this.capSeconds * this.msPerSecond;
      const strike = Number(await this.options.redis.eval(STRIKE, 2, this.keys.pause, this.keys.strikes, forgetMs));
      pause = { kind: 'secondary', seconds: secondaryPauseSeconds(request.seconds, strike, this.capSeconds), strike };
    } else {
      pause = { kind: 'primary', seconds: Math.max(1, request.seconds ?? 1), strike: 0 };
    }
    await this.options.redis.eval(EXTEND_PAUSE, 1, this.keys.pause, Math.max(1, Math.round(pause.seconds * this.msPerSecond)));
    this.options.onPause?.(pause);
    return pause;
  }

  /** Milliseconds (scaled) the token stays paused; 0 when it is not. */
  async pausedForMs(): Promise<number> {
    return Math.max(0, await this.options.redis.pttl(this.keys.pause));
  }

  /**
   * How long a job that failed with `error` should be delayed, in ms: the pause left for a
   * {@link GithubTokenPausedError} or a rate-limit answer (at least one scaled second, never zero
   * or negative); null for any other error.
   */
  async delayForError(error: unknown): Promise<number | null> {
    const paused = pausedErrorIn(error);
    if (paused) return Math.max(this.msPerSecond, paused.resumeAtMs - Date.now());
    const status = (error as { status?: unknown } | null)?.status;
    if (status !== 403 && status !== 429) return null;
    const response = (error as { response?: { headers?: HeaderBag; data?: { message?: string } } }).response;
    if (!pauseForAnswer(status, response?.headers ?? {}, response?.data?.message ?? (error as Error).message, Date.now())) return null;
    return Math.max(this.msPerSecond, await this.pausedForMs());
  }

  /** Closes the Redis connection (the budget owns it). */
  async close(): Promise<void> {
    await this.options.redis.quit().catch(() => this.options.redis.disconnect());
  }

  /** Deletes this token's keys (tests). */
  async clear(): Promise<void> {
    await this.options.redis.del(this.keys.leases, this.keys.pause, this.keys.strikes);
  }

  private async acquire(): Promise<string> {
    await this.gate;
    const lease = randomUUID();
    const pollMs = this.options.pollMs ?? 5;
    for (;;) {
      const [taken, waitMs] = (await this.options.redis.eval(
        ACQUIRE,
        2,
        this.keys.leases,
        this.keys.pause,
        this.options.maxConcurrency,
        this.leaseMs,
        lease,
      )) as [number, number];
      if (taken === 1) return lease;
      if (waitMs > 0) {
        if (waitMs > this.maxWaitMs) throw new GithubTokenPausedError(waitMs);
        await sleep(waitMs);
      } else {
        await sleep(pollMs + Math.random() * pollMs);
      }
    }
  }
}
