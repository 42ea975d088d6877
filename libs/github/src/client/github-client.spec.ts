import { createGithubClient, isNotModified, SECONDARY_LIMIT_FALLBACK_SECONDS, type GithubClientLog } from './github-client.js';
import { Semaphore } from './request-limiter.js';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/** A fetch that answers from a script and records what it was asked. */
function scriptedFetch(answers: Answer[] | ((url: string) => Answer | Promise<Answer>)) {
  const calls: Array<{ url: string; headers: Headers }> = [];
  const next = typeof answers === 'function' ? answers : () => answers.shift() ?? { status: 200, body: [] };
  const fetch = async (input: Parameters<typeof globalThis.fetch>[0], init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    calls.push({ url, headers: new Headers(init?.headers) });
    const answer = await next(url);
    const body = answer.status === 304 ? null : JSON.stringify(answer.body ?? {});
    return new Response(body, {
      status: answer.status,
      headers: { 'content-type': 'application/json', ...(answer.headers ?? {}) },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

function recordingLog() {
  const lines: Array<[string, string]> = [];
  const log: GithubClientLog = {
    debug: (message) => lines.push(['debug', message]),
    info: (message) => lines.push(['info', message]),
    warn: (message) => lines.push(['warn', message]),
    error: (message) => lines.push(['error', message]),
  };
  return { log, lines };
}

const SECONDARY = {
  status: 403,
  body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
};

describe('createGithubClient', () => {
  it('sends the cambrian user agent and the token to GITHUB_API_URL', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 200, body: { id: 1 } }]);
    const client = createGithubClient({ baseUrl: 'http://sim.test/', token: 't0k', maxConcurrency: 2, fetch, limiter: new Semaphore(2) });
    await client.request('GET /repos/{owner}/{repo}', { owner: 'RWKV', repo: 'rwkv.cpp' });
    expect(calls[0].url).toBe('http://sim.test/repos/RWKV/rwkv.cpp');
    expect(calls[0].headers.get('user-agent')).toMatch(/^cambrian /);
    expect(calls[0].headers.get('authorization')).toBe('token t0k');
  });

  it('S2: waits at least 60 s after a secondary limit with no retry-after, logs it, then retries', async () => {
    const { fetch, calls } = scriptedFetch([SECONDARY, { status: 200, body: [] }]);
    const { log, lines } = recordingLog();
    // retryAfterBaseValue scales a second to 1 ms so the test does not wait a minute
    const client = createGithubClient({ baseUrl: 'http://sim.test', maxConcurrency: 1, fetch, log, retryAfterBaseValue: 1, limiter: new Semaphore(1) });
    await expect(client.request('GET /repos/{owner}/{repo}/pulls', { owner: 'o', repo: 'r' })).resolves.toMatchObject({ status: 200 });
    expect(calls).toHaveLength(2);
    expect(lines).toContainEqual(['warn', expect.stringContaining(`secondary rate limit on GET /repos/{owner}/{repo}/pulls: waiting ${SECONDARY_LIMIT_FALLBACK_SECONDS} s, retry 1 of 3`)]);
  });

  it('honours retry-after on a secondary limit and gives up after the bounded retries', async () => {
    const { fetch, calls } = scriptedFetch(() => ({ ...SECONDARY, headers: { 'retry-after': '7' } }));
    const { log, lines } = recordingLog();
    const client = createGithubClient({
      baseUrl: 'http://sim.test',
      maxConcurrency: 1,
      fetch,
      log,
      retryAfterBaseValue: 1,
      maxRateLimitRetries: 2,
      limiter: new Semaphore(1),
    });
    await expect(client.request('GET /orgs/{org}/repos', { org: 'RWKV' })).rejects.toMatchObject({ status: 403 });
    expect(calls).toHaveLength(3);
    expect(lines.filter(([level]) => level === 'warn').map(([, message]) => message)).toEqual([
      expect.stringContaining('waiting 7 s, retry 1 of 2'),
      expect.stringContaining('waiting 7 s, retry 2 of 2'),
    ]);
    expect(lines).toContainEqual(['error', expect.stringContaining('giving up after 2 retries')]);
  });

  it('throws a 304 answer to a conditional request as Not Modified, logged at debug level only', async () => {
    const { fetch, calls } = scriptedFetch([{ status: 304, headers: { etag: 'W/"abc"' } }]);
    const { log, lines } = recordingLog();
    const client = createGithubClient({ baseUrl: 'http://sim.test', maxConcurrency: 1, fetch, log, limiter: new Semaphore(1) });
    const error = await client
      .request('GET /repos/{owner}/{repo}/commits', { owner: 'o', repo: 'r', headers: { 'if-none-match': 'W/"abc"' } })
      .catch((caught: unknown) => caught);
    expect(isNotModified(error)).toBe(true);
    expect(calls[0].headers.get('if-none-match')).toBe('W/"abc"');
    expect(lines.filter(([level]) => level !== 'debug')).toEqual([]);
  });

  it('keeps at most maxConcurrency requests of one token in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const { fetch } = scriptedFetch(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      inFlight -= 1;
      return { status: 200, body: [] };
    });
    const client = createGithubClient({ baseUrl: 'http://sim.test', token: 'c', maxConcurrency: 2, fetch, limiter: new Semaphore(2) });
    await Promise.all(Array.from({ length: 6 }, (_, page) => client.request('GET /repos/{owner}/{repo}/commits', { owner: 'o', repo: 'r', page })));
    expect(peak).toBe(2);
  });

  it('lets maxConcurrency above the throttling plugin\'s own default of 10 govern', async () => {
    let inFlight = 0;
    let peak = 0;
    // every request is held until none has arrived for 100 ms, so the peak does not depend on CPU speed
    let held: Array<() => void> = [];
    let timer: NodeJS.Timeout | undefined;
    const { fetch } = scriptedFetch(async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      clearTimeout(timer);
      timer = setTimeout(() => held.splice(0).forEach((release) => release()), 100);
      await new Promise<void>((resolve) => held.push(resolve));
      inFlight -= 1;
      return { status: 200, body: [] };
    });
    held = [];
    const client = createGithubClient({ baseUrl: 'http://sim.test', token: 'wide', maxConcurrency: 15, fetch, limiter: new Semaphore(15) });
    await Promise.all(Array.from({ length: 30 }, (_, page) => client.request('GET /repos/{owner}/{repo}/commits', { owner: 'o', repo: 'r', page })));
    expect(peak).toBe(15);
  });
});
