import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { pauseForAnswer, readBudget, secondaryPauseSeconds, SECONDARY_LIMIT_CAP_SECONDS, type HeaderBag, type RateLimitKind } from './rate-limit-headers.js';
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
    /** Why the token waits: a rate-limit pause, or the pacing of its primary budget (see `RedisTokenBudget`). */
    readonly reason: 'rate-limit' | 'pacing' = 'rate-limit',
  ) {
    super(
      reason === 'pacing'
        ? `GitHub token paced to keep its primary budget until the reset: next request in ${Math.ceil(waitMs)} ms`
        : `GitHub token paused by a rate limit for another ${Math.ceil(waitMs)} ms`,
    );
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
  /**
   * Pacing of the primary budget (`GITHUB_PACE_BELOW_FRACTION`, default {@link DEFAULT_PACE_BELOW_FRACTION}):
   * requests go out as fast as the slots allow while the remaining budget is above this fraction of
   * the limit; at or below it, at most one request per (time to reset) / (usable remaining) across
   * every process. 0 turns pacing off (only the reserve and the pauses apply); 1 spreads the whole
   * window evenly.
   */
  paceBelowFraction?: number;
  /**
   * Share of the limit ordinary requests leave unspent until the reset (`GITHUB_RESERVE_FRACTION`,
   * default {@link DEFAULT_RESERVE_FRACTION}), kept for urgent work ({@link RedisTokenBudget.urgent}),
   * e.g. fetching what a webhook delivery points to.
   */
  reserveFraction?: number;
  onPause?: (pause: TokenPause) => void;
}

/** Default {@link RedisTokenBudgetOptions.paceBelowFraction}: bursts spend the first half of a window freely. */
export const DEFAULT_PACE_BELOW_FRACTION = 0.5;
/** Default {@link RedisTokenBudgetOptions.reserveFraction}: 2% of the limit (100 of GitHub's 5,000 per hour). */
export const DEFAULT_RESERVE_FRACTION = 0.02;

/** The token's primary budget as the budget last read it (see {@link RedisTokenBudget.budgetState}). */
export interface TokenBudgetState {
  limit: number;
  /** The lowest `X-RateLimit-Remaining` of the current window seen by any process. */
  remaining: number;
  /** `X-RateLimit-Reset` of that window (UTC epoch seconds, GitHub's clock). */
  resetEpochSeconds: number;
  /** Milliseconds (scaled) until the reset, on Redis's clock. */
  msUntilReset: number;
  /** Whether requests are paced now (remaining at or below the pacing threshold). */
  pacing: boolean;
}

/**
 * Takes a slot unless the token is paused or paced. KEYS: leases, pause, rate (hash: limit,
 * remaining, reset, resetAt), next (Redis ms of the next paced request). ARGV: max concurrency,
 * lease ms, lease id, reserve fraction, pace-below fraction.
 * Returns [1, 0, 0] taken; [0, ms, 0] paused for ms; [0, ms, 1] paced (or reserve reached) for ms;
 * [0, -1, 0] every slot taken, or the budget left is held by requests in flight (their answers
 * will tell how much remains: poll, do not wait for the reset).
 * The usable budget is the lowest remaining seen in the window, minus the requests in flight (their
 * answers may not be counted in it yet), minus the reserve. While the window has not reset and the
 * remaining budget is at or below the pacing threshold, requests are spaced by
 * (time to reset) / usable, so the usable budget lasts until the reset; with nothing usable left,
 * ordinary requests wait for the reset (with only requests in flight holding it, they poll).
 */
const ACQUIRE = `
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then return {0, ttl, 0} end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local inflight = redis.call('ZCARD', KEYS[1])
if inflight >= tonumber(ARGV[1]) then return {0, -1, 0} end
local rate = redis.call('HMGET', KEYS[3], 'limit', 'remaining', 'resetAt')
if rate[1] and rate[2] and rate[3] then
  local limit = tonumber(rate[1])
  local remaining = tonumber(rate[2])
  local left = tonumber(rate[3]) - now
  if left > 0 then
    local unreserved = remaining - math.floor(limit * tonumber(ARGV[4]))
    if unreserved <= 0 then return {0, left, 1} end
    local usable = unreserved - inflight
    if usable <= 0 then return {0, -1, 0} end
    if remaining <= limit * tonumber(ARGV[5]) then
      local nextAt = tonumber(redis.call('GET', KEYS[4]) or '0')
      if nextAt > now then return {0, nextAt - now, 1} end
      redis.call('SET', KEYS[4], math.floor(now + left / usable), 'PX', math.ceil(left) + 1)
    end
  end
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0, 0}`;

/**
 * Records one answer's budget. KEYS: rate. ARGV: limit, remaining, reset (epoch s), ms until reset
 * (scaled). A later window (higher reset) replaces the state; in the same window only a lower
 * remaining is kept (answers arrive out of order; the budget only falls within a window); an answer
 * of an earlier window is ignored. Returns 1 when the state changed.
 */
const RECORD = `
local reset = tonumber(ARGV[3])
local remaining = tonumber(ARGV[2])
local current = redis.call('HMGET', KEYS[1], 'reset', 'remaining')
if current[1] and current[2] then
  local currentReset = tonumber(current[1])
  if reset < currentReset then return 0 end
  if reset == currentReset then
    if tonumber(current[2]) <= remaining then return 0 end
    redis.call('HSET', KEYS[1], 'remaining', remaining)
    return 1
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = math.ceil(tonumber(ARGV[4]))
redis.call('HSET', KEYS[1], 'limit', ARGV[1], 'remaining', remaining, 'reset', reset, 'resetAt', now + untilMs)
redis.call('PEXPIRE', KEYS[1], untilMs + 60000)
return 1`;

/** The recorded budget and Redis's clock: [limit, remaining, reset, resetAt, now] (empty fields false). */
const READ_BUDGET = `
local rate = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'reset', 'resetAt')
local t = redis.call('TIME')
return {rate[1], rate[2], rate[3], rate[4], tostring(tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))}`;

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
 * - pacing of the primary budget: every answer's `X-RateLimit-Remaining` and `X-RateLimit-Reset`
 *   (against its `Date`) are recorded per window; once the remaining budget falls to
 *   `paceBelowFraction` of the limit, requests across every process are spaced by
 *   (time to reset) / (remaining − in flight − reserve), so the budget is never spent before the
 *   window resets (GitHub Docs, "Best practices for using the REST API": "avoid making requests
 *   after exceeding your primary rate limit"), and `reserveFraction` of it is left for
 *   {@link RedisTokenBudget.urgent} work;
 * - a request that meets a pause or a paced wait longer than `maxWaitSeconds` throws
 *   {@link GithubTokenPausedError} instead of waiting, so a queue job can be delayed rather than
 *   hold its lock.
 * Pauses live in Redis as keys with a TTL, so every process reads the same remaining time on
 * Redis's clock. A per-process semaphore of the same size sits in front of Redis so one process
 * never polls for its own slots.
 */
export class RedisTokenBudget implements RequestLimiter {
  private readonly local: Semaphore;
  private readonly keys: { leases: string; pause: string; strikes: string; rate: string; next: string };
  private readonly paceBelowFraction: number;
  private readonly reserveFraction: number;
  private readonly msPerSecond: number;
  private readonly maxWaitMs: number;
  private readonly leaseMs: number;
  private readonly capSeconds: number;
  private gate: Promise<void> = Promise.resolve();

  constructor(private readonly options: RedisTokenBudgetOptions) {
    this.local = new Semaphore(options.maxConcurrency);
    // one hash tag per token keeps the keys of a script in one Redis Cluster slot
    const base = `${options.keyPrefix}:{${options.tokenKey}}`;
    this.keys = { leases: `${base}:leases`, pause: `${base}:pause`, strikes: `${base}:strikes`, rate: `${base}:rate`, next: `${base}:next` };
    this.paceBelowFraction = fraction('paceBelowFraction', options.paceBelowFraction ?? DEFAULT_PACE_BELOW_FRACTION);
    this.reserveFraction = fraction('reserveFraction', options.reserveFraction ?? DEFAULT_RESERVE_FRACTION);
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

  /** Runs `work` once the token is not paused or paced and a slot is free across processes. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.runWith(work, this.reserveFraction);
  }

  /**
   * A view of this budget for urgent work (e.g. what a webhook delivery needs fetched): the same
   * slots, pauses and pacing, but it may spend the reserve ordinary requests leave.
   */
  urgent(): RequestLimiter {
    const local = this.local;
    return {
      run: (work) => this.runWith(work, 0),
      observe: (status, headers, message) => this.observe(status, headers, message),
      hold: () => this.hold(),
      get active() {
        return local.active;
      },
      get waiting() {
        return local.waiting;
      },
    };
  }

  private runWith<T>(work: () => Promise<T>, reserveFraction: number): Promise<T> {
    return this.local.run(async () => {
      const lease = await this.acquire(reserveFraction);
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
    await this.record(headers);
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

  /**
   * Records the primary budget an answer reports (see RECORD), so every process paces on it.
   * Answers without `X-RateLimit-*` headers (or of another resource) change nothing.
   */
  async record(headers: HeaderBag): Promise<void> {
    const reading = readBudget(headers, Date.now());
    if (!reading) return;
    const untilResetMs = (reading.msUntilReset / 1000) * this.msPerSecond;
    await this.options.redis.eval(RECORD, 1, this.keys.rate, reading.limit, reading.remaining, reading.resetEpochSeconds, untilResetMs);
  }

  /** The token's primary budget as last recorded, or null before any answer (or after its window reset). */
  async budgetState(): Promise<TokenBudgetState | null> {
    const [limit, remaining, reset, resetAt, now] = (await this.options.redis.eval(READ_BUDGET, 1, this.keys.rate)) as Array<string | null>;
    if (!limit || !remaining || !reset || !resetAt) return null;
    const msUntilReset = Number(resetAt) - Number(now);
    if (msUntilReset <= 0) return null;
    return {
      limit: Number(limit),
      remaining: Number(remaining),
      resetEpochSeconds: Number(reset),
      msUntilReset,
      pacing: this.paceBelowFraction > 0 && Number(remaining) <= Number(limit) * this.paceBelowFraction,
    };
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
    await this.options.redis.del(this.keys.leases, this.keys.pause, this.keys.strikes, this.keys.rate, this.keys.next);
  }

  private async acquire(reserveFraction: number): Promise<string> {
    await this.gate;
    const lease = randomUUID();
    const pollMs = this.options.pollMs ?? 5;
    for (;;) {
      const [taken, waitMs, paced] = (await this.options.redis.eval(
        ACQUIRE,
        4,
        this.keys.leases,
        this.keys.pause,
        this.keys.rate,
        this.keys.next,
        this.options.maxConcurrency,
        this.leaseMs,
        lease,
        reserveFraction,
        this.paceBelowFraction,
      )) as [number, number, number];
      if (taken === 1) return lease;
      if (waitMs > 0) {
        if (waitMs > this.maxWaitMs) throw new GithubTokenPausedError(waitMs, Date.now(), paced === 1 ? 'pacing' : 'rate-limit');
        // paced requests of every process wake at the same instant; a little jitter spreads their retries
        await sleep(paced === 1 ? waitMs + Math.random() * pollMs : waitMs);
      } else {
        await sleep(pollMs + Math.random() * pollMs);
      }
    }
  }
}

/** Checks a fraction option: a finite number in [0, 1]. */
function fraction(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`${name} must be a number from 0 to 1, got ${value}`);
  return value;
}
