import { loadSnapshot } from '../seed/build-snapshot.js';
import { createGithubSim, type GithubSim } from '../server.js';
import { simDataDir } from '../testing/sim-data.js';
import { listRepositoryComments, sortForks, wantsStarTimestamps } from './community.routes.js';

const c = (id: number, createdAt: string, updatedAt = createdAt) => ({ id, createdAt, updatedAt });

describe('listRepositoryComments', () => {
  const comments = [c(3, '2024-01-03T00:00:00Z', '2024-01-03T00:00:00Z'), c(1, '2024-01-01T00:00:00Z', '2024-01-05T00:00:00Z'), c(2, '2024-01-02T00:00:00Z')];
  it.each<[string, Parameters<typeof listRepositoryComments>[1], number[]]>([
    ['no sort: ascending by creation, direction ignored', { direction: 'desc' }, [1, 2, 3]],
    ['sort=updated: direction defaults to desc', { sort: 'updated' }, [1, 3, 2]],
    ['sort=updated&direction=asc', { sort: 'updated', direction: 'asc' }, [2, 3, 1]],
    ['sort=created&direction=desc', { sort: 'created', direction: 'desc' }, [3, 2, 1]],
    ['since keeps comments updated at or after it', { since: Date.parse('2024-01-03T00:00:00Z') }, [1, 3]],
  ])('%s', (_name, query, ids) => {
    expect(listRepositoryComments(comments, query).map((x) => x.id)).toEqual(ids);
  });
});

describe('sortForks and wantsStarTimestamps', () => {
  it.each<[string | undefined, number[]]>([
    [undefined, [2, 1]],
    ['newest', [2, 1]],
    ['oldest', [1, 2]],
  ])('sort=%s', (sort, ids) => {
    expect(sortForks([c(1, '2020-01-01T00:00:00Z'), c(2, '2021-01-01T00:00:00Z')], sort).map((f) => f.id)).toEqual(ids);
  });
  it.each<[string | undefined, boolean]>([
    ['application/vnd.github.star+json', true],
    ['application/vnd.github.v3.star+json', true],
    ['application/vnd.github+json', false],
    [undefined, false],
  ])('Accept %j → %s', (accept, expected) => {
    expect(wantsStarTimestamps(accept)).toBe(expected);
  });
});

describe('community endpoints over HTTP', () => {
  let sim: GithubSim;
  beforeAll(async () => {
    // a snapshot of its own: the unstar below changes it
    sim = await createGithubSim({ snapshot: await loadSnapshot(simDataDir()) });
  });
  afterAll(async () => {
    await sim.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${sim.url}${path}`, { headers });

  it('lists stargazers as users, or as {starred_at, user} with the star+json media type, oldest first', async () => {
    const data = sim.snapshot.byFullName.get('rwkv/rwkv.cpp')!;
    const plain = (await (await get('/repos/RWKV/rwkv.cpp/stargazers?per_page=100')).json()) as Array<{ login: string }>;
    const timed = (await (await get('/repos/RWKV/rwkv.cpp/stargazers?per_page=100', { accept: 'application/vnd.github.star+json' })).json()) as Array<{
      starred_at: string;
      user: { login: string };
    }>;
    expect(plain.map((u) => u.login)).toEqual(data.stargazers.map((s) => s.user.login));
    expect(timed.map((s) => s.user.login)).toEqual(plain.map((u) => u.login));
    const times = timed.map((s) => Date.parse(s.starred_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('answers 304 to If-None-Match on the community lists', async () => {
    for (const path of ['/repos/RWKV/rwkv.cpp/releases?per_page=100', '/repos/RWKV/rwkv.cpp/labels', '/repos/RWKV/rwkv.cpp/forks', '/repos/RWKV/rwkv.cpp/pulls/comments?sort=updated&direction=desc']) {
      const first = await get(path);
      expect(first.status).toBe(200);
      const again = await get(path, { 'if-none-match': first.headers.get('etag')! });
      expect(again.status).toBe(304);
    }
  });

  it('serves one release per real tag, newest first, paginated with Link', async () => {
    const data = sim.snapshot.byFullName.get('josstorer/rwkv-runner')!;
    expect(data.releases).toHaveLength(data.tags.length);
    const page1 = await get('/repos/josStorer/RWKV-Runner/releases?per_page=100');
    expect(page1.headers.get('link')).toContain('rel="next"');
    const body = (await page1.json()) as Array<{ tag_name: string; created_at: string }>;
    expect(body).toHaveLength(100);
    expect(new Set(data.tags.map((t) => t.name)).has(body[0].tag_name)).toBe(true);
  });

  it('serves reviews per pull request, and the deleted-account review with user: null (I1)', async () => {
    const data = sim.snapshot.byFullName.get('blinkdl/rwkv-lm')!;
    const lowest = Math.min(...data.pulls.map((p) => p.number));
    const reviews = (await (await get(`/repos/BlinkDL/RWKV-LM/pulls/${lowest}/reviews`)).json()) as Array<{ user: unknown; state: string }>;
    expect(reviews.filter((review) => review.user === null)).toEqual([expect.objectContaining({ user: null, state: 'COMMENTED' })]);
    expect((await get('/repos/BlinkDL/RWKV-LM/pulls/999999/reviews')).status).toBe(404);
  });

  it('removes a star through /_sim/stargazers/remove and reports the new stargazers_count', async () => {
    const data = sim.snapshot.byFullName.get('rwkv/rwkv.cpp')!;
    const count = data.stargazers.length;
    const login = data.stargazers[0].user.login;
    const before = (await (await get('/repos/RWKV/rwkv.cpp')).json()) as { stargazers_count: number };
    expect(before.stargazers_count).toBe(count);
    const removed = await fetch(`${sim.url}/_sim/stargazers/remove`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repository: 'RWKV/rwkv.cpp', login }),
    });
    expect(removed.status).toBe(204);
    const after = (await (await get('/repos/RWKV/rwkv.cpp')).json()) as { stargazers_count: number };
    expect(after.stargazers_count).toBe(count - 1);
    const list = (await (await get('/repos/RWKV/rwkv.cpp/stargazers?per_page=100')).json()) as Array<{ login: string }>;
    expect(list.map((u) => u.login)).not.toContain(login);
  });
});
