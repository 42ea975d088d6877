import { jest } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { createGithubSim, type GithubSim } from './server.js';
import { sharedSnapshot, simDataDir } from './testing/sim-data.js';

const metas = readFileSync(join(simDataDir(), '_export_meta.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { repo: string; head_sha: string; commits_default_branch: number; pull_refs: number });

/** Octokit logs every error response with console.error; the specs provoke them on purpose. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function rels(link: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (link ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)) out[m[2]] = m[1];
  return out;
}

describe('github-sim over HTTP', () => {
  let sim: GithubSim;
  const octokit = (token = 'x') => new Octokit({ baseUrl: sim.url, auth: token, log: quiet });

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot() });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('paginates listCommits through every default-branch commit of RWKV-LM (903, as _export_meta says)', async () => {
    const meta = metas.find((m) => m.repo === 'BlinkDL/RWKV-LM')!;
    const commits = await octokit().paginate(octokit().rest.repos.listCommits, { owner: 'BlinkDL', repo: 'RWKV-LM', per_page: 100 });
    expect(meta.commits_default_branch).toBe(903);
    expect(commits).toHaveLength(903);
    expect(new Set(commits.map((c) => c.sha)).size).toBe(903);
    expect(commits[0].sha).toBe(meta.head_sha);
    expect(commits[0].author).toMatchObject({ login: 'BlinkDL', id: 33809201, type: 'User' });
    expect(commits[0].committer).toMatchObject({ login: 'web-flow', id: 19864447 });
    expect(commits[0].commit.author?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('lists the 2 repositories of the RWKV organisation and the 3 of user BlinkDL', async () => {
    const org = await octokit().paginate(octokit().rest.repos.listForOrg, { org: 'RWKV' });
    const user = await octokit().paginate(octokit().rest.repos.listForUser, { username: 'BlinkDL' });
    expect(org.map((r) => r.full_name).sort()).toEqual(['RWKV/RWKV-infctx-trainer', 'RWKV/rwkv.cpp']);
    expect(org[0].owner).toMatchObject({ login: 'RWKV', type: 'Organization' });
    expect(user.map((r) => r.full_name)).toEqual(['BlinkDL/ChatRWKV', 'BlinkDL/RWKV-CUDA', 'BlinkDL/RWKV-LM']);
  });

  it('answers unknown owners and repositories with GitHub 404 JSON', async () => {
    for (const path of ['/users/no-such-user-xyz/repos', '/orgs/BlinkDL/repos', '/repos/BlinkDL/nope', '/repos/BlinkDL/RWKV-LM/pulls/99999']) {
      const res = await fetch(`${sim.url}${path}`, { headers: { authorization: 'token t404' } });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ message: 'Not Found', documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\/rest/) });
    }
  });

  it('serves a repository with the default branch of the export and the full_name spelling of GitHub', async () => {
    const { data } = await octokit().rest.repos.get({ owner: 'rwkv', repo: 'RWKV.CPP' });
    expect(data).toMatchObject({ full_name: 'RWKV/rwkv.cpp', default_branch: 'master', private: false, fork: false });
  });

  it('lists 380 pull requests with state=all over the six repositories, none open', async () => {
    let total = 0;
    for (const meta of metas) {
      const [owner, repo] = meta.repo.split('/');
      const all = await octokit().paginate(octokit().rest.pulls.list, { owner, repo, state: 'all', per_page: 100 });
      expect(all).toHaveLength(meta.pull_refs);
      total += all.length;
      const open = await octokit().rest.pulls.list({ owner, repo });
      expect(open.data).toEqual([]);
    }
    expect(total).toBe(380);
  });

  it('returns a merged pull request with merge fields', async () => {
    const { data } = await octokit().rest.pulls.get({ owner: 'BlinkDL', repo: 'RWKV-LM', pull_number: 350 });
    expect(data).toMatchObject({
      number: 350,
      state: 'closed',
      merged: true,
      merged_at: '2026-08-14T13:09:24Z',
      user: { login: 'OctoBored', id: 212877535 },
      merged_by: { login: 'BlinkDL' },
      head: { ref: 'fix/star-history-chart', label: 'OctoBored:fix/star-history-chart' },
      base: { ref: 'main' },
    });
  });

  it('lists pull requests in /issues with a pull_request key, next to the generated issues', async () => {
    const data = (await sharedSnapshot()).byFullName.get('blinkdl/chatrwkv')!;
    const entries = await octokit().paginate(octokit().rest.issues.listForRepo, { owner: 'BlinkDL', repo: 'ChatRWKV', state: 'all', per_page: 100 });
    expect(entries).toHaveLength(data.pulls.length + data.issues.length);
    const prs = entries.filter((e) => e.pull_request);
    expect(prs).toHaveLength(data.pulls.length);
    expect(prs[0].pull_request).toEqual(expect.objectContaining({ url: expect.stringContaining('/pulls/'), html_url: expect.any(String) }));
    expect(entries.filter((e) => !e.pull_request).every((e) => e.title.startsWith('[generated by github-sim]'))).toBe(true);
    const open = await octokit().paginate(octokit().rest.issues.listForRepo, { owner: 'BlinkDL', repo: 'ChatRWKV' });
    expect(open.every((e) => e.state === 'open' && !e.pull_request)).toBe(true);
  });

  it('filters /issues on updated_at with since', async () => {
    const since = '2024-01-01T00:00:00Z';
    const entries = await octokit().paginate(octokit().rest.issues.listForRepo, { owner: 'RWKV', repo: 'rwkv.cpp', state: 'all', since, per_page: 100 });
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => Date.parse(e.updated_at) >= Date.parse(since))).toBe(true);
  });

  it('lists commits from a tag and within since/until on the committer date', async () => {
    const { data: byTag } = await octokit().rest.repos.listCommits({ owner: 'josStorer', repo: 'RWKV-Runner', sha: 'v1.0.0', per_page: 5 });
    expect(byTag.length).toBeGreaterThan(0);
    const since = '2024-01-01T00:00:00Z';
    const until = '2024-03-01T00:00:00Z';
    const window = await octokit().paginate(octokit().rest.repos.listCommits, { owner: 'josStorer', repo: 'RWKV-Runner', since, until, per_page: 100 });
    expect(window.length).toBeGreaterThan(0);
    for (const c of window) {
      const at = Date.parse(c.commit.committer!.date!);
      expect(at >= Date.parse(since) && at <= Date.parse(until)).toBe(true);
    }
  });

  it('gets a commit by abbreviated sha and answers 422 for an unknown one', async () => {
    const { data } = await octokit().rest.repos.getCommit({ owner: 'BlinkDL', repo: 'RWKV-LM', ref: '524481d' });
    expect(data.sha).toBe('524481d5099b38d9bc8ef1e89209161b86c8011b');
    await expect(octokit().rest.repos.getCommit({ owner: 'BlinkDL', repo: 'RWKV-LM', ref: 'deadbeefdeadbeef' })).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'No commit found for SHA: deadbeefdeadbeef' } },
    });
  });

  it('writes a Link header with absolute prev/next/last/first URLs that keep the other parameters', async () => {
    const res = await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM/commits?per_page=100&page=2`, { headers: { authorization: 'token link' } });
    const link = res.headers.get('link')!;
    expect(link).toMatch(/^<[^>]+>; rel="prev", <[^>]+>; rel="next", <[^>]+>; rel="last", <[^>]+>; rel="first"$/);
    expect(rels(link)).toEqual({
      prev: `${sim.url}/repos/BlinkDL/RWKV-LM/commits?per_page=100&page=1`,
      next: `${sim.url}/repos/BlinkDL/RWKV-LM/commits?per_page=100&page=3`,
      last: `${sim.url}/repos/BlinkDL/RWKV-LM/commits?per_page=100&page=10`,
      first: `${sim.url}/repos/BlinkDL/RWKV-LM/commits?per_page=100&page=1`,
    });
    const lastPage = await fetch(rels(link).last, { headers: { authorization: 'token link' } });
    expect(await lastPage.json()).toHaveLength(3);
    expect(Object.keys(rels(lastPage.headers.get('link')))).toEqual(['prev', 'first']);
  });

  it('answers a conditional request with the ETag by 304, empty, without using rate limit', async () => {
    const headers = { authorization: 'token etag-test' };
    const first = await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM/pulls?state=all`, { headers });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[0-9a-f]+"$/);
    const remaining = first.headers.get('x-ratelimit-remaining');
    const second = await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM/pulls?state=all`, { headers: { ...headers, 'if-none-match': etag } });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe('');
    expect(second.headers.get('x-ratelimit-remaining')).toBe(remaining);
    expect(second.headers.get('etag')).toBe(etag);

    // Octokit surfaces the 304 as a RequestError with status 304, as against api.github.com.
    const client = octokit('etag-test');
    await expect(client.rest.pulls.list({ owner: 'BlinkDL', repo: 'RWKV-LM', state: 'all', headers: { 'if-none-match': etag } })).rejects.toMatchObject({ status: 304 });
    const { data } = await client.rest.rateLimit.get();
    expect(String(data.resources.core.remaining)).toBe(remaining);
  });

  it('sends the rate-limit headers and a Date header, counting each request', async () => {
    const a = await fetch(`${sim.url}/repos/BlinkDL/RWKV-CUDA`, { headers: { authorization: 'Bearer rl-headers' } });
    const b = await fetch(`${sim.url}/repos/BlinkDL/RWKV-CUDA`, { headers: { authorization: 'Bearer rl-headers' } });
    expect(a.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(a.headers.get('x-ratelimit-resource')).toBe('core');
    expect(Number(a.headers.get('x-ratelimit-remaining')) - Number(b.headers.get('x-ratelimit-remaining'))).toBe(1);
    expect(Number(b.headers.get('x-ratelimit-used'))).toBe(2);
    expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(Number.isNaN(Date.parse(a.headers.get('date')!))).toBe(false);
  });

  it('authenticates any token as the sim user and refuses /user anonymously', async () => {
    const { data } = await octokit('anything').rest.users.getAuthenticated();
    expect(data).toMatchObject({ login: 'github-sim-user', type: 'User' });
    const res = await fetch(`${sim.url}/user`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Requires authentication' });
  });

  it('ignores Accept media types', async () => {
    const res = await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM/commits/524481d5099b38d9bc8ef1e89209161b86c8011b`, {
      headers: { accept: 'application/vnd.github.v3.diff', authorization: 'token accept' },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { sha: string }).sha).toBe('524481d5099b38d9bc8ef1e89209161b86c8011b');
  });
});

describe('github-sim rate limits and faults', () => {
  it('answers 403 with the primary rate-limit message once the budget is spent, and Octokit throttling sees it', async () => {
    const sim = await createGithubSim({ snapshot: await sharedSnapshot(), rateLimit: { limit: 2 } });
    try {
      const headers = { authorization: 'token small' };
      await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM`, { headers });
      await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM`, { headers });
      const refused = await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM`, { headers });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
      expect(await refused.json()).toMatchObject({ message: expect.stringMatching(/^API rate limit exceeded for user ID \d+\.$/) });

      const onRateLimit = jest.fn(() => false);
      const Throttled = Octokit.plugin(throttling);
      const client = new Throttled({ baseUrl: sim.url, auth: 'small', log: quiet, throttle: { onRateLimit, onSecondaryRateLimit: () => false } });
      await expect(client.rest.repos.get({ owner: 'BlinkDL', repo: 'RWKV-LM' })).rejects.toMatchObject({ status: 403 });
      expect(onRateLimit).toHaveBeenCalledTimes(1);
      expect(await (await fetch(`${sim.url}/_sim/stats`)).json()).toMatchObject({ rateLimited: 2 });
    } finally {
      await sim.close();
    }
  });

  it('injects a secondary rate limit that Octokit throttling retries after retry-after', async () => {
    const sim = await createGithubSim({ snapshot: await sharedSnapshot() });
    try {
      const added = await fetch(`${sim.url}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'secondary-rate-limit', count: 1, pathPrefix: '/repos/BlinkDL/RWKV-LM', retryAfterSeconds: 0 }),
      });
      expect(added.status).toBe(201);
      const onSecondaryRateLimit = jest.fn(() => true);
      const Throttled = Octokit.plugin(throttling);
      const client = new Throttled({
        baseUrl: sim.url,
        auth: 'secondary',
        log: quiet,
        throttle: { onRateLimit: () => false, onSecondaryRateLimit, fallbackSecondaryRateRetryAfter: 0, retryAfterBaseValue: 1 },
      });
      const { data } = await client.rest.repos.get({ owner: 'BlinkDL', repo: 'RWKV-LM' });
      expect(data.full_name).toBe('BlinkDL/RWKV-LM');
      expect(onSecondaryRateLimit).toHaveBeenCalledTimes(1);
      const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { byToken: Record<string, { byStatus: Record<string, number> }> };
      expect(stats.byToken.secondary.byStatus).toEqual({ '200': 1, '403': 1 });
    } finally {
      await sim.close();
    }
  });

  it('sends the secondary-rate-limit body with retry-after only when configured', async () => {
    const sim = await createGithubSim({ snapshot: await sharedSnapshot(), faults: [{ kind: 'secondary-rate-limit', count: 1 }, { kind: 'secondary-rate-limit', count: 1, retryAfterSeconds: 7, status: 429 }] });
    try {
      const a = await fetch(`${sim.url}/rate_limit`);
      expect(a.status).toBe(403);
      expect(a.headers.get('retry-after')).toBeNull();
      expect(await a.json()).toMatchObject({ message: expect.stringMatching(/^You have exceeded a secondary rate limit/) });
      const b = await fetch(`${sim.url}/rate_limit`);
      expect(b.status).toBe(429);
      expect(b.headers.get('retry-after')).toBe('7');
      expect((await fetch(`${sim.url}/rate_limit`)).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it('injects 502s that the Octokit retry plugin retries', async () => {
    const sim = await createGithubSim({ snapshot: await sharedSnapshot(), faults: [{ kind: 'server-error', count: 2 }] });
    try {
      const Retrying = Octokit.plugin(retry);
      const client = new Retrying({ baseUrl: sim.url, auth: 'retry', log: quiet, retry: { retryAfterBaseValue: 1 } });
      const { data } = await client.rest.repos.get({ owner: 'RWKV', repo: 'rwkv.cpp' });
      expect(data.name).toBe('rwkv.cpp');
      const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as Record<string, unknown>;
      expect(stats).toMatchObject({ requests: 3, byStatus: { '200': 1, '502': 2 }, faultsInjected: 2 });
    } finally {
      await sim.close();
    }
  });

  it('completes a paginate with throttling and retry plugins through a 502 and a secondary limit mid-way', async () => {
    const sim = await createGithubSim({
      snapshot: await sharedSnapshot(),
      faults: [
        { kind: 'server-error', count: 1, pathPrefix: '/repos/RWKV/RWKV-infctx-trainer/commits' },
        { kind: 'secondary-rate-limit', count: 1, pathPrefix: '/repos/RWKV/RWKV-infctx-trainer/commits', retryAfterSeconds: 1 },
      ],
    });
    try {
      const Full = Octokit.plugin(throttling, retry);
      const client = new Full({
        baseUrl: sim.url,
        auth: 'full',
        log: quiet,
        retry: { retryAfterBaseValue: 1 },
        throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => true, retryAfterBaseValue: 1 },
      });
      const commits = await client.paginate(client.rest.repos.listCommits, { owner: 'RWKV', repo: 'RWKV-infctx-trainer', per_page: 100 });
      expect(commits).toHaveLength(metas.find((m) => m.repo === 'RWKV/RWKV-infctx-trainer')!.commits_default_branch);
      const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as { byStatus: Record<string, number> };
      expect(stats.byStatus).toEqual({ '200': 12, '403': 1, '502': 1 });
    } finally {
      await sim.close();
    }
  });

  it('counts 304s and requests per token in /_sim/stats, and resets', async () => {
    const sim = await createGithubSim({ snapshot: await sharedSnapshot() });
    try {
      const first = await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM`, { headers: { authorization: 'token one' } });
      await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM`, { headers: { authorization: 'token one', 'if-none-match': first.headers.get('etag')! } });
      await fetch(`${sim.url}/repos/BlinkDL/RWKV-LM`);
      const stats = (await (await fetch(`${sim.url}/_sim/stats`)).json()) as Record<string, unknown>;
      expect(stats).toEqual({
        requests: 3,
        byStatus: { '200': 2, '304': 1 },
        notModified: 1,
        rateLimited: 0,
        faultsInjected: 0,
        byToken: { one: { requests: 2, byStatus: { '200': 1, '304': 1 } }, anonymous: { requests: 1, byStatus: { '200': 1 } } },
      });
      expect((await fetch(`${sim.url}/_sim/reset`, { method: 'POST' })).status).toBe(204);
      expect(((await (await fetch(`${sim.url}/_sim/stats`)).json()) as { requests: number }).requests).toBe(0);
    } finally {
      await sim.close();
    }
  });
});
