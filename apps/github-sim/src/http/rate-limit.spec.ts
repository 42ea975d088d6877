import { RateLimiter, rateLimitHeaders } from './rate-limit.js';

describe('RateLimiter', () => {
  function clock(start = 1_700_000_000_000) {
    let now = start;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  }

  it('counts down per token and refuses once the budget is spent', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 2 }, c.now);
    expect(limiter.consume('token:a', false)).toMatchObject({ allowed: true, state: { remaining: 1, used: 1, limit: 2 } });
    expect(limiter.consume('token:a', false).allowed).toBe(true);
    expect(limiter.consume('token:a', false)).toMatchObject({ allowed: false, state: { remaining: 0, used: 2 } });
    expect(limiter.consume('token:b', false).allowed).toBe(true);
  });

  it('gives anonymous clients their own smaller budget', () => {
    const limiter = new RateLimiter({ limit: 5000, anonymousLimit: 60 });
    expect(limiter.peek('ip:127.0.0.1', true).limit).toBe(60);
  });

  it('refunds a request (a 304) back to the budget', () => {
    const limiter = new RateLimiter({ limit: 10 });
    limiter.consume('token:a', false);
    limiter.refund('token:a', false);
    expect(limiter.peek('token:a', false)).toMatchObject({ remaining: 10, used: 0 });
  });

  it('opens a new window one hour after the first request, reporting the reset in epoch seconds', () => {
    const c = clock(1_700_000_000_000);
    const limiter = new RateLimiter({ limit: 1 }, c.now);
    expect(limiter.consume('token:a', false).state.reset).toBe(1_700_003_600);
    expect(limiter.consume('token:a', false).allowed).toBe(false);
    c.advance(3_600_000);
    expect(limiter.consume('token:a', false)).toMatchObject({ allowed: true, state: { reset: 1_700_007_200 } });
  });

  it('renders the X-RateLimit-* headers', () => {
    expect(rateLimitHeaders({ limit: 5000, remaining: 4999, used: 1, reset: 1_700_003_600, resource: 'core' })).toEqual({
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': '1700003600',
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': 'core',
    });
  });
});

describe('RateLimiter.history', () => {
  it('keeps each window with what was counted, refused and the lowest remaining, then forgets them on reset', () => {
    let now = 1_700_000_000_000;
    const limiter = new RateLimiter({ limit: 2, windowSeconds: 10 }, () => now);
    limiter.consume('token:a', false);
    limiter.consume('token:a', false);
    limiter.consume('token:a', false); // refused
    now += 10_000;
    limiter.consume('token:a', false);
    expect(limiter.history()).toEqual([
      { key: 'token:a', limit: 2, used: 2, refused: 1, minRemaining: 0, startMs: 1_700_000_000_000, resetMs: 1_700_000_010_000 },
      { key: 'token:a', limit: 2, used: 1, refused: 0, minRemaining: 1, startMs: 1_700_000_010_000, resetMs: 1_700_000_020_000 },
    ]);
    limiter.reset();
    expect(limiter.history()).toEqual([]);
  });
});
