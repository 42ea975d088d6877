import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, EcosystemSyncService, GithubSyncModule, type WrittenPage } from '#libs/github';
import { QueueName } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { withPullRequestOnlyPage } from '../../apps/github-sim/src/seed/pull-request-only-page.js';
import type { RepositoryData } from '../../apps/github-sim/src/seed/snapshot.types.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const FULL_NAME = 'RWKV/rwkv.cpp';

/** Thrown from `afterPage` to stop a sync between two pages, as a killed worker would. */
class SimulatedCrash extends Error {}

describe('Issue and review sync on a repository whose /issues opens with a page of pull requests (S3, crash resume, e2e)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: DataSource;
  let ecosystemId: number;
  let repo: RepositoryData;

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: withPullRequestOnlyPage(await sharedSnapshot(), FULL_NAME, 100), port: 0 });
    repo = sim.snapshot.byFullName.get(FULL_NAME.toLowerCase())!;
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-sync-s3-token' });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile();
    app = await moduleRef.init();
    db = app.get(DataSource);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('s3', 'S3');
    await ecosystems.track('s3', { kind: 'repository', name: FULL_NAME });
    ecosystemId = ecosystem.id;
  });

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await env?.teardown();
    await sim?.close();
  });

  it('serves a first page of 100 pull requests with a next link, and the issues on page 2', async () => {
    const response = await fetch(`${sim.url}/repos/${FULL_NAME}/issues?state=all&sort=updated&direction=desc&per_page=100`);
    const items = (await response.json()) as Array<{ pull_request?: unknown }>;
    expect(items).toHaveLength(100);
    expect(items.every((item) => item.pull_request)).toBe(true);
    expect(response.headers.get('link')).toContain('rel="next"');
    expect(repo.issues.length).toBeGreaterThan(0);
  });

  it('keeps paging past a page made only of pull requests, resumes there after a crash, and stores every issue once (S3)', async () => {
    const sync = app.get(EcosystemSyncService);
    const crashAfterFirstIssuesPage = (page: WrittenPage) => {
      if (page.resource === 'issues' && page.pages === 1) throw new SimulatedCrash('worker killed after page 1 of the issues');
    };
    const crashed = await sync.syncInProcess(ecosystemId, { resources: ['pulls', 'issues'], afterPage: crashAfterFirstIssuesPage });
    expect(crashed.failures).toEqual([expect.objectContaining({ error: 'worker killed after page 1 of the issues' })]);
    const [{ early }] = await db.query(`SELECT count(*)::int AS early FROM issue`);
    expect(early).toBe(0); // page 1 held only pull requests
    const [state] = await db.query(`SELECT cursor FROM sync_state WHERE resource = 'issues'`);
    expect(state.cursor.pass.next).toContain('page=2');

    const resumed = await sync.syncInProcess(ecosystemId, { resources: ['pulls', 'issues'] });
    expect(resumed.failures).toEqual([]);
    const issues = resumed.repositories[0].resources.find((r) => r.resource === 'issues');
    expect(issues).toMatchObject({ resumed: true, requests: 1, pages: 1 });

    const stored: Array<{ number: number }> = await db.query(`SELECT number FROM issue ORDER BY number`);
    expect(stored.map((row) => row.number)).toEqual(repo.issues.map((issue) => issue.number));
    const [{ pulls }] = await db.query(`SELECT count(*)::int AS pulls FROM pull_request`);
    expect(pulls).toBe(repo.pulls.length);
    const [{ overlap }] = await db.query(`SELECT count(*)::int AS overlap FROM issue i JOIN pull_request p USING (repository_id, number)`);
    expect(overlap).toBe(0);
    const [{ opened }] = await db.query(`SELECT count(*)::int AS opened FROM activity WHERE type = 'issue_opened'`);
    expect(opened).toBe(repo.issues.length);
  });

  it('resumes the review sync at the next pull request after a crash, and fetches no review list twice', async () => {
    const sync = app.get(EcosystemSyncService);
    const crashAfterTenPullRequests = (page: WrittenPage) => {
      if (page.resource === 'reviews' && page.pages === 10) throw new SimulatedCrash('worker killed during the reviews');
    };
    const crashed = await sync.syncInProcess(ecosystemId, { resources: ['reviews'], afterPage: crashAfterTenPullRequests });
    expect(crashed.failures).toEqual([expect.objectContaining({ error: 'worker killed during the reviews' })]);

    const resumed = await sync.syncInProcess(ecosystemId, { resources: ['reviews'] });
    expect(resumed.failures).toEqual([]);
    // every pull request has fewer than 100 reviews: one request each, the first ten already done
    expect(resumed.repositories[0].resources).toEqual([expect.objectContaining({ resource: 'reviews', requests: repo.pulls.length - 10 })]);
    const [{ reviews }] = await db.query(`SELECT count(*)::int AS reviews FROM activity WHERE type = 'review'`);
    expect(reviews).toBe(repo.reviews.length);

    const again = await sync.syncInProcess(ecosystemId, { resources: ['reviews'] });
    expect(again.repositories[0].resources).toEqual([expect.objectContaining({ resource: 'reviews', requests: 0 })]);
  });
});
