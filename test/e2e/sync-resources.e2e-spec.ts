import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import {
  ALL_REPOSITORY_RESOURCES,
  EcosystemService,
  EcosystemSyncService,
  GithubSyncModule,
  isNewcomerLabel,
  RepositorySyncService,
  SyncHealthService,
  type EcosystemSyncResult,
} from '#libs/github';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import type { SimStatsSnapshot } from '../../apps/github-sim/src/http/sim-stats.js';
import type { RepositoryData } from '../../apps/github-sim/src/seed/snapshot.types.js';
import { simStats, startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

type RunStats = { requests: number; byStatus: Record<string, number> };

function diff(after: SimStatsSnapshot, before: SimStatsSnapshot): RunStats {
  const byStatus: Record<string, number> = {};
  for (const [status, count] of Object.entries(after.byStatus)) {
    const delta = count - (before.byStatus[status] ?? 0);
    if (delta) byStatus[status] = delta;
  }
  return { requests: after.requests - before.requests, byStatus };
}

const TABLES = ['repository', 'git_commit', 'pull_request', 'issue', 'repository_label', 'activity', 'member', 'identity', 'github_account'];

async function countRows(db: DataSource): Promise<Record<string, number>> {
  const [row] = await db.query(`SELECT ${TABLES.map((table) => `(SELECT count(*) FROM ${table})::int AS ${table}`).join(', ')}`);
  return row as Record<string, number>;
}

async function activitiesByType(db: DataSource): Promise<Record<string, number>> {
  const rows: Array<{ type: string; count: number }> = await db.query(
    `SELECT type, count(*)::int AS count FROM activity WHERE removed_at IS NULL GROUP BY type`,
  );
  return Object.fromEntries(rows.map((row) => [row.type, row.count]));
}

const pages = (items: number) => Math.max(1, Math.ceil(items / 100));
const sum = (repos: RepositoryData[], count: (repo: RepositoryData) => number) => repos.reduce((total, repo) => total + count(repo), 0);

describe('Sync of reviews, issues, comments, releases, stars, forks and labels against the simulator (e2e)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: DataSource;
  let ecosystemId: number;
  let repos: RepositoryData[];
  let first: { result: EcosystemSyncResult; stats: RunStats; counts: Record<string, number> };
  let second: { result: EcosystemSyncResult; stats: RunStats; counts: Record<string, number> };

  async function run() {
    const before = await simStats(sim);
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: 3, resources: ALL_REPOSITORY_RESOURCES });
    return { result, stats: diff(await simStats(sim), before), counts: await countRows(db) };
  }

  beforeAll(async () => {
    sim = await startRwkvSim();
    repos = sim.snapshot.repositories;
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-sync-resources-token' });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile();
    app = await moduleRef.init();
    db = app.get(DataSource);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'user', name: 'BlinkDL' });
    await ecosystems.track('rwkv', { kind: 'organization', name: 'RWKV' });
    await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
    ecosystemId = ecosystem.id;
    first = await run();
    second = await run();
  });

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await env?.teardown();
    await sim?.close();
  });

  it('stores, after a full sync, as many issues, reviews, comments, releases, forks, stars and labels as the sim serves', async () => {
    expect(first.result.failures).toEqual([]);
    const issues = sum(repos, (r) => r.issues.length);
    expect(first.counts.issue).toBe(issues);
    expect(first.counts.repository_label).toBe(sum(repos, (r) => r.labels.length));
    expect(await activitiesByType(db)).toMatchObject({
      issue_opened: issues,
      issue_closed: sum(repos, (r) => r.issues.filter((i) => i.state === 'closed').length),
      issue_comment: sum(repos, (r) => r.issues.reduce((n, i) => n + i.comments.length, 0)),
      review: sum(repos, (r) => r.reviews.length),
      review_comment: sum(repos, (r) => r.reviewComments.length),
      release: sum(repos, (r) => r.releases.length),
      fork: sum(repos, (r) => r.forks.length),
      star: sum(repos, (r) => r.stargazers.length),
    });
  });

  it('never stores a pull request as an issue (the issues endpoint lists both; S3)', async () => {
    const [{ overlap }] = await db.query(
      `SELECT count(*)::int AS overlap FROM issue i JOIN pull_request p ON p.repository_id = i.repository_id AND p.number = i.number`,
    );
    expect(overlap).toBe(0);
    expect(first.counts.pull_request).toBe(sum(repos, (r) => r.pulls.length));
  });

  it('flags the open "good first issue" / "help wanted" issues from their labels', async () => {
    const expected = sum(repos, (r) => r.issues.filter((i) => i.state === 'open' && i.labels.some(isNewcomerLabel)).length);
    expect(expected).toBeGreaterThan(0);
    const [{ flagged }] = await db.query(`SELECT count(*)::int AS flagged FROM issue WHERE state = 'open' AND newcomer_friendly`);
    expect(flagged).toBe(expected);
  });

  it('spends one request per page of each list, and one per pull request for reviews, on the first sync', () => {
    const perRepository = sum(
      repos,
      (r) =>
        pages(r.defaultBranchCommits.length) +
        pages(r.pulls.length) +
        r.pulls.filter((pull) => pull.merged).length + // "Get a pull request" per merged one: merged_by is not in the list
        r.pulls.length + // reviews: one list per pull request, each under 100 reviews
        pages(r.issues.length + r.pulls.length) +
        pages(r.issues.reduce((n, i) => n + i.comments.length, 0)) +
        pages(r.reviewComments.length) +
        pages(r.releases.length) +
        pages(r.forks.length) +
        pages(r.stargazers.length) +
        pages(r.labels.length),
    );
    const discovery = 3; // BlinkDL's repositories, RWKV's, josStorer/RWKV-Runner
    expect(first.stats).toEqual({ requests: discovery + perRepository, byStatus: { '200': discovery + perRepository } });
  });

  it('answers an unchanged re-sync with 304s only (no review list is fetched again) and writes nothing', () => {
    expect(second.result.failures).toEqual([]);
    // per repository: commits, pulls, issues, issue comments, review comments, releases, forks, stargazers (tail), labels
    const expected = 3 + repos.length * 9;
    expect(second.stats).toEqual({ requests: expected, byStatus: { '304': expected } });
    expect(second.counts).toEqual(first.counts);
    const inserted = second.result.repositories.flatMap((r) => r.resources).reduce((n, r) => n + r.activitiesInserted, 0);
    expect(inserted).toBe(0);
  });

  it('keeps one sync_state row per repository and resource, idle, with the ETag of each conditional first page', async () => {
    const stored: Array<{ resource: string; rows: number; idle: number; etags: number; not_modified: number }> = await db.query(
      `SELECT resource, count(*)::int AS rows, count(*) FILTER (WHERE status = 'idle')::int AS idle,
         count(etag)::int AS etags, sum(not_modified)::int AS not_modified
       FROM sync_state WHERE resource <> 'repository' GROUP BY resource ORDER BY resource`,
    );
    // the re-sync's 304s wrote no row: sync health counts them from Redis
    expect(stored.every((row) => row.not_modified === 0)).toBe(true);
    const ids: Array<{ id: number }> = await db.query(`SELECT id::int AS id FROM repository`);
    const health = await app.get(SyncHealthService).byRepositoryIds(ids.map((row) => row.id));
    const notModifiedOf = (resource: string) =>
      health.reduce((n, repository) => n + (repository.resources.find((r) => r.resource === resource)?.notModified ?? 0), 0);
    const rows = stored.map((row) => ({ ...row, not_modified: notModifiedOf(row.resource) }));
    const conditional = ['commits', 'forks', 'issue_comments', 'issues', 'labels', 'pulls', 'releases', 'review_comments', 'stargazers'];
    expect(rows).toEqual(
      [...ALL_REPOSITORY_RESOURCES].sort().map((resource) => {
        const hasEtag = conditional.includes(resource);
        return { resource, rows: repos.length, idle: repos.length, etags: hasEtag ? repos.length : 0, not_modified: hasEtag ? repos.length : 0 };
      }),
    );
  });

  it('credits the review and review comment of a deleted account (user: null) to the one deleted-user member (I1)', async () => {
    const deletedReviews = repos.flatMap((r) => r.reviews.filter((review) => review.user === null).map((review) => `review:${review.id}`));
    const deletedComments = repos.flatMap((r) => r.reviewComments.filter((c) => c.user === null).map((c) => `review_comment:${c.id}`));
    expect(deletedReviews.length).toBeGreaterThan(0);
    expect(deletedComments.length).toBeGreaterThan(0);
    const members: Array<{ kind: string; login: string }> = await db.query(
      `SELECT DISTINCT m.kind, m.login FROM activity a JOIN member m ON m.id = a.member_id WHERE a.source_key = ANY($1)`,
      [[...deletedReviews, ...deletedComments]],
    );
    expect(members).toEqual([{ kind: 'deleted', login: 'ghost' }]);
    const [{ rows }] = await db.query(`SELECT count(*)::int AS rows FROM activity WHERE source_key = ANY($1)`, [[...deletedReviews, ...deletedComments]]);
    expect(rows).toBe(deletedReviews.length + deletedComments.length);
  });

  it('marks an unstar removed when the stargazer list comes out shorter, and reports the drift against stargazers_count', async () => {
    const repo = repos.find((r) => r.repository.fullName === 'RWKV/rwkv.cpp')!;
    const gone = repo.stargazers[3];
    const before = repo.stargazers.length;
    const response = await fetch(`${sim.url}/_sim/stargazers/remove`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repository: repo.repository.fullName, login: gone.user.login }),
    });
    expect(response.status).toBe(204);

    // without discovery the stored stargazers_count is the old one: one more than the list now holds
    const result = await app.get(RepositorySyncService).syncRepository(repo.repository.id, { resources: ['stargazers'] });
    expect(result.resources).toEqual([expect.objectContaining({ resource: 'stargazers', relisted: true, removed: 1, drift: 1 })]);
    const [star] = await db.query(`SELECT removed_at FROM activity WHERE source_key = $1`, [`star:${repo.repository.id}:${gone.user.id}`]);
    expect(star.removed_at).toBeInstanceOf(Date);
    const [{ active }] = await db.query(`SELECT count(*)::int AS active FROM activity WHERE type = 'star' AND repository_id = $1 AND removed_at IS NULL`, [
      repo.repository.id,
    ]);
    expect(active).toBe(before - 1);

    // the next run sees the unchanged tail page: a 304, nothing removed again
    const again = await app.get(RepositorySyncService).syncRepository(repo.repository.id, { resources: ['stargazers'] });
    expect(again.resources).toEqual([expect.objectContaining({ notModified: true, requests: 1 })]);
  });
});
