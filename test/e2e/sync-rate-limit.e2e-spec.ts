import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createGithubClient, RedisTokenBudget, tokenKey, type GithubClient } from '#libs/github';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { TEST_REDIS_URL, testQueuePrefix } from '../helpers/test-queue-prefix.js';

/**
 * Rate limits against the simulator, with GitHub's waits scaled: one GitHub second lasts SCALE ms,
 * so a 60 s pause lasts 600 ms. Assertions read the arrival times the sim recorded
 * (`GET /_sim/requests`), never the test's own duration.
 */
const SCALE = 10;
const COMMITS = '/repos/BlinkDL/RWKV-LM/commits';

async function requestLog(sim: GithubSim): Promise<RequestLogSnapshot> {
  return (await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot;
}

/** Requests of `token` that arrived after `limited` was answered and before `ms` later: must be none. */
function arrivedDuringPause(log: RequestLogSnapshot, token: string, limited: LoggedRequest, ms: number): LoggedRequest[] {
  return log.requests.filter((r) => r !== limited && r.client === token && r.at >= limited.finishedAt && r.at < limited.finishedAt + ms);
}

describe('GitHub rate limits shared by every process of a token, against the sim (e2e)', () => {
  let sim: GithubSim;
  const prefix = `${testQueuePrefix()}:github-budget`;
  const opened: RedisTokenBudget[] = [];

  /** One "process": its own Redis connection and budget, a client over it. */
  function processFor(token: string, options: { maxConcurrency?: number; maxWaitSeconds?: number } = {}): { client: GithubClient; budget: RedisTokenBudget } {
    const budget = new RedisTokenBudget({
      redis: new Redis(TEST_REDIS_URL),
      keyPrefix: prefix,
      tokenKey: tokenKey(sim.url, token),
      maxConcurrency: options.maxConcurrency ?? 10,
      msPerSecond: SCALE,
      maxWaitSeconds: options.maxWaitSeconds ?? 3600,
    });
    opened.push(budget);
    const client = createGithubClient({ baseUrl: sim.url, token, maxConcurrency: options.maxConcurrency ?? 10, limiter: budget, retryAfterBaseValue: SCALE });
    return { client, budget };
  }

  const freshToken = () => `rl-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0 });
    // warm the client code up, so that "concurrent" requests really leave together
    const { client } = processFor('warm-up');
    await Promise.all([1, 2, 3, 4].map((page) => client.request('GET /repos/{owner}/{repo}/commits', { owner: 'BlinkDL', repo: 'RWKV-CUDA', page })));
  });

  afterAll(async () => {
    for (const budget of opened) {
      await budget.clear();
      await budget.close();
    }
    await sim?.close();
  });

  afterEach(() => sim.faults.clear());

  it('S1: a secondary limit with retry-after 60 pauses every request of the token for 60 s; all four pages arrive', async () => {
    const token = freshToken();
    const { client } = processFor(token);
    // the limit is answered slowly, so the four requests are all on the wire when it comes back
    sim.faults.add({ kind: 'secondary-rate-limit', count: 1, pathPrefix: COMMITS, retryAfterSeconds: 60, delayMs: 1500 });
    const pages = await Promise.all(
      [1, 2, 3, 4].map((page) => client.request('GET /repos/{owner}/{repo}/commits', { owner: 'BlinkDL', repo: 'RWKV-LM', per_page: 10, page })),
    );
    expect(pages.map((page) => [page.status, page.data.length])).toEqual([
      [200, 10],
      [200, 10],
      [200, 10],
      [200, 10],
    ]);
    const log = await requestLog(sim);
    const mine = log.requests.filter((r) => r.client === token);
    const limited = mine.filter((r) => r.status === 403);
    expect(limited).toHaveLength(1);
    expect(arrivedDuringPause(log, token, limited[0], 60 * SCALE)).toEqual([]);
    expect(mine.filter((r) => r.status === 200)).toHaveLength(4);
    // the retry of the limited page is the only request after the limit, and it waited the whole minute
    const after = mine.filter((r) => r !== limited[0] && r.at >= limited[0].finishedAt);
    expect(after).toHaveLength(1);
    expect(after[0].url).toBe(limited[0].url);
  });

  it('S1: a secondary limit seen by one process pauses the other process of the same token (shared Redis)', async () => {
    const token = freshToken();
    const first = processFor(token);
    const second = processFor(token);
    sim.faults.add({ kind: 'secondary-rate-limit', count: 1, pathPrefix: '/repos/BlinkDL/ChatRWKV', retryAfterSeconds: 60 });
    const limitedCall = first.client.request('GET /repos/{owner}/{repo}', { owner: 'BlinkDL', repo: 'ChatRWKV' });
    // wait until the first process has seen the limit, then ask from the second one
    while ((await second.budget.pausedForMs()) === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    const other = await second.client.request('GET /repos/{owner}/{repo}', { owner: 'RWKV', repo: 'rwkv.cpp' });
    expect(other.status).toBe(200);
    expect((await limitedCall).status).toBe(200);
    const log = await requestLog(sim);
    const limited = log.requests.find((r) => r.client === token && r.status === 403)!;
    expect(arrivedDuringPause(log, token, limited, 60 * SCALE)).toEqual([]);
    const otherRequest = log.requests.find((r) => r.client === token && r.url.startsWith('/repos/RWKV/rwkv.cpp'))!;
    expect(otherRequest.at).toBeGreaterThanOrEqual(limited.finishedAt + 60 * SCALE);
  });

  it.each([
    [403, 'S2'],
    [429, 'S2 (429)'],
  ])('%s %s: a secondary limit without retry-after waits at least 60 s, then twice as long on a repeat', async (status) => {
    const token = freshToken();
    const { client } = processFor(token);
    sim.faults.add({ kind: 'secondary-rate-limit', count: 2, pathPrefix: '/repos/RWKV/RWKV-infctx-trainer', status });
    const answer = await client.request('GET /repos/{owner}/{repo}', { owner: 'RWKV', repo: 'RWKV-infctx-trainer' });
    expect(answer.status).toBe(200);
    const mine = (await requestLog(sim)).requests.filter((r) => r.client === token);
    expect(mine.map((r) => r.status)).toEqual([status, status, 200]);
    // the sim's X-RateLimit-Remaining stays far from 0: only the secondary rule applies
    expect(mine[1].at - mine[0].finishedAt).toBeGreaterThanOrEqual(60 * SCALE);
    expect(mine[2].at - mine[1].finishedAt).toBeGreaterThanOrEqual(120 * SCALE);
  });

  it('S2: never waits zero seconds, even when GitHub says retry-after: 0', async () => {
    const token = freshToken();
    const { client, budget } = processFor(token);
    sim.faults.add({ kind: 'secondary-rate-limit', count: 1, pathPrefix: '/repos/BlinkDL/RWKV-CUDA', retryAfterSeconds: 0 });
    const seen: number[] = [];
    const watching = (async () => {
      for (let i = 0; i < 200 && seen.length === 0; i += 1) {
        const ms = await budget.pausedForMs();
        if (ms > 0) seen.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    expect((await client.request('GET /repos/{owner}/{repo}', { owner: 'BlinkDL', repo: 'RWKV-CUDA' })).status).toBe(200);
    await watching;
    const mine = (await requestLog(sim)).requests.filter((r) => r.client === token);
    expect(mine.map((r) => r.status)).toEqual([403, 200]);
    expect(mine[1].at - mine[0].finishedAt).toBeGreaterThanOrEqual(1 * SCALE);
  });

  it('keeps at most the configured number of requests of a token in flight across two processes', async () => {
    const token = freshToken();
    const a = processFor(token, { maxConcurrency: 3 });
    const b = processFor(token, { maxConcurrency: 3 });
    // held long enough (4 rounds of 300 ms) that three requests overlap even when a loaded machine is slow to send them
    sim.faults.add({ kind: 'delay', count: 12, delayMs: 300, pathPrefix: '/repos/josStorer/RWKV-Runner' });
    await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        (index % 2 ? a : b).client.request('GET /repos/{owner}/{repo}/commits', { owner: 'josStorer', repo: 'RWKV-Runner', page: index + 1 }),
      ),
    );
    const log = await requestLog(sim);
    expect(log.maxInFlight[token]).toBe(3);
  });
});

describe('primary rate limit measured on GitHub\'s clock (e2e)', () => {
  let sim: GithubSim;
  let budget: RedisTokenBudget;

  afterAll(async () => {
    await budget?.clear();
    await budget?.close();
    await sim?.close();
  });

  it('waits for X-RateLimit-Reset against the Date header when GitHub\'s clock is an hour ahead, without a 403', async () => {
    const skew = 3_600_000;
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0, now: () => Date.now() + skew, rateLimit: { limit: 3, windowSeconds: 1 } });
    const token = 'primary-skew';
    budget = new RedisTokenBudget({
      redis: new Redis(TEST_REDIS_URL),
      keyPrefix: `${testQueuePrefix()}:github-budget`,
      tokenKey: tokenKey(sim.url, token),
      maxConcurrency: 1,
      msPerSecond: 1000, // the sim's window is in real seconds
      maxWaitSeconds: 10,
    });
    const client = createGithubClient({ baseUrl: sim.url, token, maxConcurrency: 1, limiter: budget });
    for (let i = 0; i < 5; i += 1) expect((await client.request('GET /repos/{owner}/{repo}', { owner: 'BlinkDL', repo: 'RWKV-LM' })).status).toBe(200);
    const mine = (await requestLog(sim)).requests.filter((r) => r.client === token);
    expect(mine.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // the third answer spent the window (remaining 0); the fourth arrived after the window reset
    const windowEnd = mine[0].at + 1000;
    expect(mine[3].at).toBeGreaterThanOrEqual(windowEnd);
  });
});
