import { getQueueToken } from '@nestjs/bullmq';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, GithubSyncModule, RepositoryDiscoveryService, RepositorySyncService, type SyncResource } from '#libs/github';
import { QueueName } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { installRowWriteCounter } from '../helpers/row-write-counter.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const TOKEN = 'e2e-adversarial-token';
const CUDA = 'BlinkDL/RWKV-CUDA'; // 147 default-branch commits: two pages
const CHAT = 'BlinkDL/ChatRWKV'; // pull requests with reviews

async function requestLog(sim: GithubSim): Promise<LoggedRequest[]> {
  const snapshot = (await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot;
  return snapshot.requests.filter((request) => request.client === TOKEN);
}

/** Runs `work` and returns the requests the sim answered meanwhile, and what `work` threw (or null). */
async function during(sim: GithubSim, work: () => Promise<unknown>): Promise<{ requests: LoggedRequest[]; error: unknown }> {
  const before = (await requestLog(sim)).length;
  let error: unknown = null;
  try {
    await work();
  } catch (caught) {
    error = caught;
  }
  return { requests: (await requestLog(sim)).slice(before), error };
}

/** An HTTP server standing for another host: records every request it gets, with its Authorization header. */
async function startForeignHost(): Promise<{ url: string; seen: Array<{ url: string; authorization: string | undefined }>; close(): Promise<void> }> {
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  const server: Server = createServer((request, response) => {
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
    response.writeHead(200, { 'content-type': 'application/json' }).end('[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the GitHub sync against hostile answers (e2e, RWKV sim with injected faults)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  const ids: Record<string, number> = {};
  const dataOf = (fullName: string) => sim.snapshot.repositories.find((data) => data.repository.fullName === fullName)!;
  const commitCount = (fullName: string) => new Set(dataOf(fullName).defaultBranchCommits.map((commit) => commit.sha)).size;

  const sync = (fullName: string, resources: SyncResource[], afterPage?: (page: { resource: SyncResource; pages: number }) => void | Promise<void>) =>
    app.get(RepositorySyncService).syncRepository(ids[fullName], { resources, afterPage });
  const state = async (fullName: string, resource: SyncResource) =>
    (
      await db.query(`SELECT status, cursor, etag, last_error FROM sync_state WHERE repository_id = $1 AND resource = $2`, [
        ids[fullName],
        resource,
      ])
    ).rows[0] as { status: string; cursor: { pass?: { next: string; pages: number } }; etag: string | null; last_error: string | null };
  const storedCommits = async (fullName: string) =>
    (await db.query(`SELECT count(*)::int AS n FROM git_commit_repository WHERE repository_id = $1`, [ids[fullName]])).rows[0].n as number;
  const duplicateKeys = async () =>
    (await db.query(`SELECT count(*)::int AS n FROM (SELECT source_key FROM activity GROUP BY 1 HAVING count(*) > 1) d`)).rows[0].n as number;
  /** Forgets a resource's cursor and ETag, so its next run is a full pass over rows already stored. */
  const forget = (fullName: string, resource: SyncResource) =>
    db.query(`DELETE FROM sync_state WHERE repository_id = $1 AND resource = $2`, [ids[fullName], resource]);

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0 });
    env = await createTestEnv();
    // retry waits scaled down: one "second" of a 5xx backoff is 1 ms
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: TOKEN, GITHUB_WAIT_MS_PER_SECOND: '1' });
    app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    db.on('error', () => undefined);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('hostile', 'Hostile answers');
    await ecosystems.track('hostile', { kind: 'repository', name: CUDA });
    await ecosystems.track('hostile', { kind: 'repository', name: CHAT });
    await app.get(RepositoryDiscoveryService).discover(ecosystem.id);
    for (const row of (await db.query(`SELECT id::int AS id, full_name FROM repository`)).rows as Array<{ id: number; full_name: string }>) {
      ids[row.full_name] = row.id;
    }
    expect(Object.keys(ids).sort()).toEqual([CHAT, CUDA]);
  }, 180_000);

  afterEach(() => sim.faults.clear());

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it('fails a pass on a page whose JSON is cut off, keeps its cursor and no ETag, and the next run stores every commit', async () => {
    const expected = commitCount(CUDA);
    const broken = await during(sim, () =>
      sync(CUDA, ['commits'], ({ resource, pages }) => {
        if (resource === 'commits' && pages === 1) sim.faults.add({ kind: 'malformed-json', pathPrefix: `/repos/${CUDA}/commits` });
      }),
    );
    expect(broken.requests.map((request) => request.status)).toEqual([200, 200]);
    expect(String(broken.error)).toMatch(/GithubResponseError: GitHub answered \/repos\/BlinkDL\/RWKV-CUDA\/commits\?.*page=2 with a body that is not JSON/);
    const failed = await state(CUDA, 'commits');
    expect(failed).toMatchObject({ status: 'failed', etag: null, cursor: { pass: { pages: 1, next: expect.stringContaining('page=2') } } });
    expect(await storedCommits(CUDA)).toBe(100);

    // the next run resumes at page 2 (before the fix the cut page counted as an empty last page:
    // the pass completed with its ETag and every later run answered 304 with 47 commits missing)
    const resumed = await during(sim, () => sync(CUDA, ['commits']));
    expect(resumed.error).toBeNull();
    expect(resumed.requests.map((request) => [request.url.includes('page=2'), request.status])).toEqual([[true, 200]]);
    expect(await storedCommits(CUDA)).toBe(expected);
    expect((await state(CUDA, 'commits')).status).toBe('idle');

    const counter = await installRowWriteCounter(db);
    const unchanged = await during(sim, () => sync(CUDA, ['commits']));
    expect(unchanged.requests.map((request) => request.status)).toEqual([304]);
    expect(await counter.read()).toEqual({});
  });

  it('never follows a next link to another host (the token would go there), fails the pass before writing, and resumes cleanly', async () => {
    const foreign = await startForeignHost();
    try {
      await forget(CUDA, 'commits');
      const counter = await installRowWriteCounter(db);
      const before = await counter.read();
      sim.faults.add({ kind: 'foreign-link', pathPrefix: `/repos/${CUDA}/commits`, foreignOrigin: foreign.url });
      const hostile = await during(sim, () => sync(CUDA, ['commits']));
      expect(String(hostile.error)).toMatch(/next page outside .* not followed/);
      expect(foreign.seen).toEqual([]);
      expect(hostile.requests).toHaveLength(1);
      // nothing of the page was written: the failure is the only row written
      const written = await counter.read();
      expect(Object.keys(written).filter((table) => written[table] !== before[table])).toEqual(['sync_state']);
      expect(await state(CUDA, 'commits')).toMatchObject({ status: 'failed', etag: null, cursor: {} });

      const again = await during(sim, () => sync(CUDA, ['commits']));
      expect(again.error).toBeNull();
      expect(again.requests.map((request) => request.status)).toEqual([200, 200]);
      expect(await storedCommits(CUDA)).toBe(commitCount(CUDA));
      expect(await duplicateKeys()).toBe(0);
    } finally {
      await foreign.close();
    }
  });

  it('stops at a next link back to the page itself (a pagination loop) instead of spending the budget on it', async () => {
    await forget(CUDA, 'commits');
    sim.faults.add({ kind: 'link-loop', pathPrefix: `/repos/${CUDA}/commits` });
    const looped = await during(sim, () => sync(CUDA, ['commits']));
    expect(String(looped.error)).toMatch(/next page already read .* pagination loops, not followed/);
    expect(looped.requests).toHaveLength(1);
    expect(await state(CUDA, 'commits')).toMatchObject({ status: 'failed', etag: null, cursor: {} });
    const again = await during(sim, () => sync(CUDA, ['commits']));
    expect(again.error).toBeNull();
    expect(await storedCommits(CUDA)).toBe(commitCount(CUDA));
  });

  it('stops a stargazer walk (followed page by page) at a next link back to a page already read', async () => {
    sim.faults.add({ kind: 'link-loop', pathPrefix: `/repos/${CHAT}/stargazers` });
    const looped = await during(sim, () => app.get(RepositorySyncService).syncRepository(ids[CHAT], { resources: ['stargazers'], relistStars: true }));
    expect(String(looped.error)).toMatch(/pagination loops, not followed/);
    expect(looped.requests).toHaveLength(1);
  });

  it('records a discovery answer that is not JSON on its source, naming the path, and keeps every stored repository and the state of the other source', async () => {
    const [{ id: ecosystemId }] = (await db.query(`SELECT id::int AS id FROM ecosystem WHERE slug = 'hostile'`)).rows;
    const stored = async () => (await db.query(`SELECT id::int AS id, full_name, stargazers_count FROM repository ORDER BY id`)).rows;
    const discovery = async () => (await db.query(`SELECT name, discovery FROM tracked_source ORDER BY id`)).rows;
    const [repositories, sources] = [await stored(), await discovery()];
    sim.faults.add({ kind: 'malformed-json', pathPrefix: `/repos/${CUDA}` });
    await db.query(`UPDATE tracked_source SET discovery = discovery - 'pages' WHERE name = $1`, [CUDA]); // no ETag: a 200 is served
    const result = await app.get(RepositoryDiscoveryService).discover(ecosystemId);
    expect(result.sources.find((source) => source.name === CUDA)?.error).toMatch(/GitHub answered \/repos\/BlinkDL\/RWKV-CUDA with a body that is not JSON/);
    expect(await stored()).toEqual(repositories);
    const after = await discovery();
    expect(after.find((row) => row.name === CHAT)).toEqual(sources.find((row) => row.name === CHAT));
    expect(after.find((row) => row.name === CUDA).discovery.lastError).toMatch(/not JSON/);
  });

  it('rides out a burst of three 5xx answers (the client retries) and stores every commit once', async () => {
    await forget(CUDA, 'commits');
    sim.faults.add({ kind: 'server-error', status: 503, count: 2, pathPrefix: `/repos/${CUDA}/commits` });
    sim.faults.add({ kind: 'server-error', status: 502, count: 1, pathPrefix: `/repos/${CUDA}/commits` });
    const run = await during(sim, () => sync(CUDA, ['commits']));
    expect(run.error).toBeNull();
    expect(run.requests.map((request) => request.status)).toEqual([503, 503, 502, 200, 200]);
    expect(await storedCommits(CUDA)).toBe(commitCount(CUDA));
    expect(await duplicateKeys()).toBe(0);
  });

  it('fails at once, without retrying, on 401 Bad credentials (a revoked token), with the error on the resource', async () => {
    await forget(CUDA, 'commits');
    sim.faults.add({ kind: 'client-error', status: 401, count: 10, pathPrefix: '/repos/' });
    const run = await during(sim, () => sync(CUDA, ['commits', 'pulls']));
    expect(run.error).toMatchObject({ status: 401 });
    expect(run.requests.map((request) => request.status)).toEqual([401]);
    expect(await state(CUDA, 'commits')).toMatchObject({ status: 'failed', last_error: expect.stringContaining('Bad credentials') });
  });

  it('fails a deleted repository (404) after one request and keeps what was stored of it', async () => {
    const stored = await storedCommits(CUDA);
    sim.faults.add({ kind: 'client-error', status: 404, count: 50, pathPrefix: `/repos/${CUDA}` });
    const run = await during(sim, () => sync(CUDA, ['commits', 'pulls', 'issues']));
    expect(run.error).toMatchObject({ status: 404 });
    expect(run.requests.map((request) => request.status)).toEqual([404]);
    expect(await storedCommits(CUDA)).toBe(stored);
  });

  it('passes a pull request whose reviews GitHub answers 404 (removed) and still reads every other pull request and later resource', async () => {
    const chat = dataOf(CHAT);
    expect((await during(sim, () => sync(CHAT, ['pulls']))).error).toBeNull();
    const [{ number: gone }] = (
      await db.query(`SELECT number FROM pull_request WHERE repository_id = $1 ORDER BY updated_at, id LIMIT 1`, [ids[CHAT]])
    ).rows as Array<{ number: number }>;
    sim.faults.add({ kind: 'client-error', status: 404, count: 100, pathPrefix: `/repos/${CHAT}/pulls/${gone}/reviews` });
    const run = await during(sim, () => sync(CHAT, ['reviews', 'releases']));
    expect(run.error).toBeNull();
    const reviewLists = run.requests.filter((request) => /\/pulls\/\d+\/reviews/.test(request.url));
    expect(reviewLists).toHaveLength(chat.pulls.length);
    expect(reviewLists.filter((request) => request.status === 404)).toHaveLength(1);
    expect(run.requests.some((request) => request.url.includes('/releases'))).toBe(true);
    expect(await state(CHAT, 'reviews')).toMatchObject({ status: 'idle' });
    // the next run asks no review list again (the removed one included)
    const again = await during(sim, () => sync(CHAT, ['reviews']));
    expect(again.requests).toEqual([]);
  });

  it('skips an identical sync requested while one is running, and stores no activity twice', async () => {
    await forget(CUDA, 'commits');
    let second: Awaited<ReturnType<typeof sync>> | undefined;
    const first = await sync(CUDA, ['commits'], async ({ pages }) => {
      second ??= await sync(CUDA, ['commits']); // requested while the first holds the repository
      expect(pages).toBeGreaterThan(0);
    });
    expect(first.skipped).toBeUndefined();
    expect(second?.skipped).toBe('already-running');
    expect(await storedCommits(CUDA)).toBe(commitCount(CUDA));
    expect(await duplicateKeys()).toBe(0);
  });

  it('rewrites no row but the ETag when GitHub sends a new ETag for the same first page', async () => {
    await db.query(`UPDATE sync_state SET etag = 'W/"churned"' WHERE repository_id = $1 AND resource = 'commits'`, [ids[CUDA]]);
    const counter = await installRowWriteCounter(db);
    const before = await counter.read();
    const run = await during(sim, () => sync(CUDA, ['commits']));
    expect(run.error).toBeNull();
    // the first page comes back whole; the pass ends there (its items reach the watermark)
    expect(run.requests.map((request) => request.status)).toEqual([200]);
    const written = await counter.read();
    expect(Object.fromEntries(Object.keys(written).filter((table) => written[table] !== before[table]).map((table) => [table, written[table] - (before[table] ?? 0)]))).toEqual({
      sync_state: 1,
    });
    expect((await state(CUDA, 'commits')).etag).toMatch(/^W\/"[0-9a-f]{40}"$/);
    const unchanged = await during(sim, () => sync(CUDA, ['commits']));
    expect(unchanged.requests.map((request) => request.status)).toEqual([304]);
  });

  it('refuses a pull request page without merged_at (it would read as closed unmerged) and stores it whole once GitHub answers right', async () => {
    const pullKeys = () =>
      db.query(`SELECT type, count(*)::int AS n FROM activity WHERE source_key LIKE $1 GROUP BY 1 ORDER BY 1`, [`pull_request:${ids[CUDA]}:%`]);
    sim.faults.add({ kind: 'item-fields', unset: ['merged_at'], pathPrefix: `/repos/${CUDA}/pulls` });
    const hostile = await during(sim, () => sync(CUDA, ['pulls']));
    expect(String(hostile.error)).toMatch(/GithubResponseError: GitHub answered pull request #\d+ without merged_at/);
    expect((await pullKeys()).rows).toEqual([]);
    expect((await db.query(`SELECT count(*)::int AS n FROM pull_request WHERE repository_id = $1`, [ids[CUDA]])).rows[0].n).toBe(0);
    expect(await state(CUDA, 'pulls')).toMatchObject({ status: 'failed', etag: null });

    expect((await during(sim, () => sync(CUDA, ['pulls']))).error).toBeNull();
    const pulls = dataOf(CUDA).pulls;
    const merged = pulls.filter((pull) => pull.merged).length;
    const closedUnmerged = pulls.filter((pull) => pull.state === 'closed' && !pull.merged).length;
    expect(merged).toBeGreaterThan(0);
    expect((await pullKeys()).rows).toEqual(
      [
        { type: 'pull_request_closed', n: closedUnmerged },
        { type: 'pull_request_merged', n: merged },
        { type: 'pull_request_opened', n: pulls.length },
      ].filter((row) => row.n > 0),
    );
  });

  it('keeps stored authors when a page answers user: null for every pull request (deleted accounts), and adds no activity', async () => {
    const authors = async () =>
      (await db.query(`SELECT number, author_account_id FROM pull_request WHERE repository_id = $1 ORDER BY number`, [ids[CUDA]])).rows;
    const before = await authors();
    const [{ total }] = (await db.query(`SELECT count(*)::int AS total FROM activity`)).rows;
    await forget(CUDA, 'pulls');
    sim.faults.add({ kind: 'item-fields', set: { user: null }, pathPrefix: `/repos/${CUDA}/pulls` });
    expect((await during(sim, () => sync(CUDA, ['pulls']))).error).toBeNull();
    expect(await authors()).toEqual(before);
    expect((await db.query(`SELECT count(*)::int AS total FROM activity`)).rows[0].total).toBe(total);
  });

  it.each<[SyncResource, string]>([
    ['commits', 'commits'],
    ['pulls', 'pulls'],
    ['issues', 'issues'],
    ['issue_comments', 'issues/comments'],
    ['review_comments', 'pulls/comments'],
    ['releases', 'releases'],
    ['forks', 'forks'],
    ['stargazers', 'stargazers'],
    ['labels', 'labels'],
  ])('stores a %s page that lists one item twice (items shifting under pagination) once, without failing', async (resource, path) => {
    await forget(CHAT, resource);
    sim.faults.add({ kind: 'duplicate-item', pathPrefix: `/repos/${CHAT}/${path}` });
    const run = await during(sim, () => app.get(RepositorySyncService).syncRepository(ids[CHAT], { resources: [resource], relistStars: true }));
    expect(run.error).toBeNull();
    expect(sim.faults.list()).toEqual([]); // the fault was served
    expect(await duplicateKeys()).toBe(0);
    expect(await state(CHAT, resource)).toMatchObject({ status: 'idle' });
  });

  it('follows a repository renamed between syncs by its id: the redirect is followed, discovery renames the row, nothing is stored twice', async () => {
    const rename = (repository: string, name: string) =>
      fetch(`${sim.url}/_sim/repositories/rename`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ repository, name }) });
    const [{ total }] = (await db.query(`SELECT count(*)::int AS total FROM activity`)).rows;
    expect((await rename(CUDA, 'RWKV-CUDA-renamed')).status).toBe(204);
    try {
      // the row still has the old name: GitHub answers 301 to /repositories/{id}/…, which is followed
      const redirected = await during(sim, () => sync(CUDA, ['commits']));
      expect(redirected.error).toBeNull();
      expect(redirected.requests.map((request) => request.status)).toEqual([301, 200]);
      // (the sim logs /repositories/{id}/… as the /repos/… path it serves it as)
      expect(redirected.requests[1].url).toMatch(/^\/repos\/BlinkDL\/RWKV-CUDA-renamed\/commits\?/);

      const [{ id: ecosystemId }] = (await db.query(`SELECT id::int AS id FROM ecosystem WHERE slug = 'hostile'`)).rows;
      await app.get(RepositoryDiscoveryService).discover(ecosystemId);
      expect((await db.query(`SELECT id::int AS id, full_name FROM repository WHERE id = $1`, [ids[CUDA]])).rows).toEqual([
        { id: ids[CUDA], full_name: 'BlinkDL/RWKV-CUDA-renamed' },
      ]);
      expect((await db.query(`SELECT count(*)::int AS n FROM repository`)).rows[0].n).toBe(2);

      const renamed = await during(sim, () => sync('BlinkDL/RWKV-CUDA', ['commits']));
      expect(renamed.requests.map((request) => [request.url.split('?')[0], request.status])).toEqual([['/repos/BlinkDL/RWKV-CUDA-renamed/commits', 304]]);
      expect((await db.query(`SELECT count(*)::int AS total FROM activity`)).rows[0].total).toBe(total);
      expect(await duplicateKeys()).toBe(0);
    } finally {
      expect((await rename('BlinkDL/RWKV-CUDA-renamed', 'RWKV-CUDA')).status).toBe(204);
    }
  });
});
