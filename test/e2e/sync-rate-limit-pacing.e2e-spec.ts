import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createGithubClient, GithubTokenPausedError, pausedErrorIn, RedisTokenBudget, tokenKey, type GithubClient } from '#libs/github';
import type { RateLimitWindowRecord } from '../../apps/github-sim/src/http/rate-limit.js';
import type { RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { TEST_REDIS_URL, testQueuePrefix } from '../helpers/test-queue-prefix.js';

/**
 * Pacing of the primary budget against the sim, two "processes" (two Redis connections, two
 * budgets, two clients) on one token. GitHub's clock runs SPEEDUP times faster than the real one:
 * the sim's windows, `Date` and `X-RateLimit-Reset` are on that clock, and the budget's waits are
 * scaled to match (one GitHub second = 1000 / SPEEDUP ms). Assertions read the sim's windows
 * (`GET /_sim/rate-limit/windows`) and request log, never the test's own duration.
 */
const SPEEDUP = 10;
const LIMIT = 100;
const WINDOW_SECONDS = 10;

async function windowsOf(sim: GithubSim, token: string): Promise<RateLimitWindowRecord[]> {
  const { windows } = (await (await fetch(`${sim.url}/_sim/rate-limit/windows`)).json()) as { windows: RateLimitWindowRecord[] };
  return windows.filter((window) => window.key === `token:${token}`);
}

async function statusesOf(sim: GithubSim, token: string): Promise<number[]> {
  const log = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot;
  return log.requests.filter((request) => request.client === token).map((request) => request.status);
}

describe('primary budget paced across processes (e2e, Redis and sim)', () => {
  let sim: GithubSim;
  /** A sim whose windows last an hour (six real minutes): no window resets during a test, however slow the machine. */
  let hourSim: GithubSim;
  const opened: RedisTokenBudget[] = [];
  const prefix = `${testQueuePrefix()}:github-budget`;
  const freshToken = () => `pace-${randomBytes(4).toString('hex')}`;

  function processFor(token: string, options: { paceBelowFraction?: number; reserveFraction?: number; maxWaitSeconds?: number; on?: GithubSim } = {}) {
    const target = options.on ?? sim;
    const budget = new RedisTokenBudget({
      redis: new Redis(TEST_REDIS_URL),
      keyPrefix: prefix,
      tokenKey: tokenKey(target.url, token),
      maxConcurrency: 10,
      msPerSecond: 1000 / SPEEDUP,
      maxWaitSeconds: options.maxWaitSeconds ?? 3600,
      paceBelowFraction: options.paceBelowFraction,
      reserveFraction: options.reserveFraction,
    });
    opened.push(budget);
    const client = createGithubClient({ baseUrl: target.url, token, maxConcurrency: 10, limiter: budget, retryAfterBaseValue: 1000 / SPEEDUP });
    return { client, budget };
  }

  /** `count` requests of one client, ten at a time (a sync's shape). */
  async function spend(client: GithubClient, count: number): Promise<number[]> {
    const statuses: number[] = [];
    let next = 0;
    const lane = async () => {
      while (next < count) {
        next += 1;
        statuses.push((await client.request('GET /repos/{owner}/{repo}', { owner: 'BlinkDL', repo: 'RWKV-CUDA' })).status);
      }
    };
    await Promise.all(Array.from({ length: 10 }, lane));
    return statuses;
  }

  beforeAll(async () => {
    const started = Date.now();
    const now = () => started + (Date.now() - started) * SPEEDUP;
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0, now, rateLimit: { limit: LIMIT, windowSeconds: WINDOW_SECONDS } });
    hourSim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0, now, rateLimit: { limit: LIMIT, windowSeconds: 3600 } });
  });

  afterAll(async () => {
    for (const budget of opened) {
      await budget.clear();
      await budget.close();
    }
    await sim?.close();
    await hourSim?.close();
  });

  it('two processes spending three windows of budget never exceed a window and never see a primary-limit 403', async () => {
    const token = freshToken();
    const first = processFor(token);
    const second = processFor(token);
    const [a, b] = await Promise.all([spend(first.client, 150), spend(second.client, 150)]);
    expect([...a, ...b].filter((status) => status !== 200)).toEqual([]);
    expect((await statusesOf(sim, token)).filter((status) => status === 403)).toEqual([]);
    const windows = await windowsOf(sim, token);
    expect(windows.length).toBeGreaterThanOrEqual(3);
    for (const window of windows) {
      expect(window.refused).toBe(0);
      expect(window.used).toBeLessThanOrEqual(LIMIT);
      // the 2% reserve (2 of 100) is left in every window: the budget is never spent before the reset
      expect(window.minRemaining).toBeGreaterThanOrEqual(2);
    }
  });

  it('without pacing (the control) two processes spend a window to zero', async () => {
    const token = freshToken();
    const first = processFor(token, { paceBelowFraction: 0, reserveFraction: 0, on: hourSim });
    const second = processFor(token, { paceBelowFraction: 0, reserveFraction: 0, on: hourSim });
    await Promise.all([spend(first.client, LIMIT / 2), spend(second.client, LIMIT / 2)]);
    const windows = await windowsOf(hourSim, token);
    expect(windows.map((window) => window.minRemaining)).toEqual([0]);
  });

  it('records the budget every answer reports and paces once it falls to the threshold', async () => {
    const token = freshToken();
    const { client, budget } = processFor(token, { paceBelowFraction: 0.5, on: hourSim });
    expect(await budget.budgetState()).toBeNull();
    await spend(client, 30);
    expect(await budget.budgetState()).toMatchObject({ limit: LIMIT, remaining: 70, pacing: false });
    // the 51st request is the first paced one: it goes at once, the next would wait (3600 s) / 48
    await spend(client, 21);
    const state = await budget.budgetState();
    expect(state).toMatchObject({ limit: LIMIT, remaining: 49, pacing: true });
    expect(state!.msUntilReset).toBeGreaterThan(0);
    expect(state!.msUntilReset).toBeLessThanOrEqual(((3600 + 2) * 1000) / SPEEDUP);
  });

  it('a wait for the reserve longer than the job may hold its lock throws GithubTokenPausedError (the job is delayed); urgent work may spend the reserve', async () => {
    const token = freshToken();
    const { client, budget } = processFor(token, { reserveFraction: 0.5, maxWaitSeconds: 1, on: hourSim });
    // spend down to the reserve: 50 of 100 left
    const statuses: number[] = [];
    let error: unknown;
    for (let i = 0; i < 60 && !error; i += 1) {
      try {
        statuses.push((await client.request('GET /repos/{owner}/{repo}', { owner: 'BlinkDL', repo: 'RWKV-CUDA' })).status);
      } catch (caught) {
        error = caught;
      }
    }
    const paused = pausedErrorIn(error);
    expect(paused).toBeInstanceOf(GithubTokenPausedError);
    expect(paused!.reason).toBe('pacing');
    expect(statuses).toHaveLength(50);
    expect(await budget.delayForError(error)).toBeGreaterThan(1000 / SPEEDUP);

    const urgent = createGithubClient({ baseUrl: hourSim.url, token, maxConcurrency: 10, limiter: budget.urgent(), retryAfterBaseValue: 1000 / SPEEDUP });
    expect((await urgent.request('GET /repos/{owner}/{repo}', { owner: 'BlinkDL', repo: 'RWKV-CUDA' })).status).toBe(200);
    expect((await statusesOf(hourSim, token)).filter((status) => status === 403)).toEqual([]);
  });
});

describe('RedisTokenBudget.record: one window per X-RateLimit-Reset, answers in any order (Redis)', () => {
  const budgets: RedisTokenBudget[] = [];
  const NOW = Date.now();
  const answer = (remaining: number, resetEpochSeconds: number, resource?: string) => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetEpochSeconds),
    date: new Date(NOW).toUTCString(),
    ...(resource ? { 'x-ratelimit-resource': resource } : {}),
  });

  function budgetFor(): RedisTokenBudget {
    const budget = new RedisTokenBudget({ redis: new Redis(TEST_REDIS_URL), keyPrefix: `${testQueuePrefix()}:github-budget`, tokenKey: `record-${randomBytes(4).toString('hex')}`, maxConcurrency: 10 });
    budgets.push(budget);
    return budget;
  }

  afterAll(async () => {
    for (const budget of budgets) {
      await budget.clear();
      await budget.close();
    }
  });

  it('keeps the lowest remaining of a window, whatever order the answers arrive in', async () => {
    const budget = budgetFor();
    const reset = Math.floor(NOW / 1000) + 1800;
    for (const remaining of [4000, 3990, 3995]) await budget.record(answer(remaining, reset));
    expect(await budget.budgetState()).toMatchObject({ limit: 5000, remaining: 3990, resetEpochSeconds: reset });
  });

  it('a later window replaces the state; a late answer of the earlier window is ignored', async () => {
    const budget = budgetFor();
    const reset = Math.floor(NOW / 1000) + 1800;
    await budget.record(answer(12, reset));
    await budget.record(answer(4999, reset + 3600));
    await budget.record(answer(3, reset));
    expect(await budget.budgetState()).toMatchObject({ remaining: 4999, resetEpochSeconds: reset + 3600 });
  });

  it('ignores another resource\'s budget and answers without rate-limit headers', async () => {
    const budget = budgetFor();
    await budget.record(answer(10, Math.floor(NOW / 1000) + 60, 'search'));
    await budget.record({ etag: '"x"' });
    expect(await budget.budgetState()).toBeNull();
  });

  it('measures the time to reset against the answer\'s Date, not the local clock', async () => {
    const budget = budgetFor();
    // GitHub's clock a day ahead of this machine: the reset is still 600 s after the answer
    const githubNow = NOW + 86_400_000;
    await budget.record({ ...answer(100, Math.floor(githubNow / 1000) + 600), date: new Date(githubNow).toUTCString() });
    const state = await budget.budgetState();
    expect(state!.msUntilReset).toBeGreaterThan(590_000);
    expect(state!.msUntilReset).toBeLessThanOrEqual(602_000);
  });
});
