/** The core rate-limit state of one client, as the X-RateLimit-* headers report it. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number;
  /** Epoch seconds at which the window resets. */
  reset: number;
  resource: 'core';
}

/** Budgets and window of the simulated primary rate limit. */
export interface RateLimitOptions {
  /** Requests per window for an authenticated token (GitHub: 5000 per hour for a personal token). */
  limit?: number;
  /** Requests per window for an anonymous client, keyed by IP (GitHub: 60 per hour). */
  anonymousLimit?: number;
  /** Window length in seconds (GitHub: one hour). */
  windowSeconds?: number;
}

interface Window {
  limit: number;
  used: number;
  resetMs: number;
  /** Requests refused with a primary-limit 403 in this window. */
  refused: number;
  /** Lowest remaining reported in this window. */
  minRemaining: number;
}

/** One primary-limit window of one client, as `GET /_sim/rate-limit/windows` reports it. */
export interface RateLimitWindowRecord {
  /** Rate-limit bucket key (`token:<token>` or `ip:<address>`). */
  key: string;
  limit: number;
  /** Requests counted (304s refunded). */
  used: number;
  /** Requests refused with a primary-limit 403 (not counted in `used`). */
  refused: number;
  /** Lowest `X-RateLimit-Remaining` the window reported. */
  minRemaining: number;
  /** Window opened and reset, epoch ms on the sim's clock. */
  startMs: number;
  resetMs: number;
}

/** Closed windows kept for `windows()` (oldest forgotten first). */
const WINDOW_HISTORY = 10_000;

/**
 * GitHub's primary rate limit for the REST `core` resource (GitHub Docs, "Rate limits for the REST API"): a budget
 * per token (anonymous: per IP) over a fixed window that starts with the client's first request and resets an hour
 * later. The caller consumes before serving and refunds a `304 Not Modified`, which GitHub documents as not
 * counting against the limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly closed: RateLimitWindowRecord[] = [];
  readonly limit: number;
  readonly anonymousLimit: number;
  readonly windowMs: number;

  constructor(options: RateLimitOptions = {}, private readonly now: () => number = Date.now) {
    this.limit = options.limit ?? 5000;
    this.anonymousLimit = options.anonymousLimit ?? 60;
    this.windowMs = (options.windowSeconds ?? 3600) * 1000;
  }

  /** Takes one request from the client's budget; `allowed` is false (and nothing is taken) when it is spent. */
  consume(key: string, anonymous: boolean): { allowed: boolean; state: RateLimitState } {
    const window = this.window(key, anonymous);
    if (window.used >= window.limit) {
      window.refused++;
      return { allowed: false, state: this.toState(window) };
    }
    window.used++;
    window.minRemaining = Math.min(window.minRemaining, window.limit - window.used);
    return { allowed: true, state: this.toState(window) };
  }

  /** Gives one request back (used for 304 responses). */
  refund(key: string, anonymous: boolean): void {
    const window = this.window(key, anonymous);
    if (window.used > 0) window.used--;
  }

  /** The client's state without consuming (opens a window if none is open, as GitHub reports a full budget). */
  peek(key: string, anonymous: boolean): RateLimitState {
    return this.toState(this.window(key, anonymous));
  }

  /** Forgets every window (benchmarks and tests start from full budgets). */
  reset(): void {
    this.windows.clear();
    this.closed.length = 0;
  }

  /**
   * Every window since the last reset (closed ones first, then the open ones), so a benchmark can
   * check that no window was spent past its limit: `used + refused` is what the client asked of it.
   */
  history(): RateLimitWindowRecord[] {
    return [...this.closed, ...[...this.windows].map(([key, window]) => this.record(key, window))];
  }

  private window(key: string, anonymous: boolean): Window {
    const now = this.now();
    let window = this.windows.get(key);
    if (window === undefined || now >= window.resetMs) {
      if (window) {
        this.closed.push(this.record(key, window));
        if (this.closed.length > WINDOW_HISTORY) this.closed.shift();
      }
      const limit = anonymous ? this.anonymousLimit : this.limit;
      window = { limit, used: 0, resetMs: now + this.windowMs, refused: 0, minRemaining: limit };
      this.windows.set(key, window);
    }
    return window;
  }

  private record(key: string, window: Window): RateLimitWindowRecord {
    const { limit, used, refused, minRemaining, resetMs } = window;
    return { key, limit, used, refused, minRemaining, startMs: resetMs - this.windowMs, resetMs };
  }

  private toState(window: Window): RateLimitState {
    return {
      limit: window.limit,
      remaining: Math.max(0, window.limit - window.used),
      used: window.used,
      reset: Math.ceil(window.resetMs / 1000),
      resource: 'core',
    };
  }
}

/** The response headers GitHub sends with the core rate-limit state. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(state.limit),
    'x-ratelimit-remaining': String(state.remaining),
    'x-ratelimit-reset': String(state.reset),
    'x-ratelimit-used': String(state.used),
    'x-ratelimit-resource': state.resource,
  };
}
