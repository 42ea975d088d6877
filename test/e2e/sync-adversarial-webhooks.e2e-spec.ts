import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import {
  DeliveryProcessingModule,
  DeliveryProcessingService,
  EcosystemService,
  GithubSyncModule,
  RepositoryDiscoveryService,
  RepositorySyncService,
} from '#libs/github';
import { QueueName } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { renderReview } from '../../apps/github-sim/src/render/render-community.js';
import { renderPullRequest } from '../../apps/github-sim/src/render/render-pull-request.js';
import { renderRepository } from '../../apps/github-sim/src/render/render-repository.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { buildPullRequestDelivery, buildStarDelivery, type WebhookDelivery } from '../../apps/github-sim/src/webhooks/index.js';
import { envelope, webhookScope } from '../../apps/github-sim/src/webhooks/webhook-context.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const REPOSITORY = 'BlinkDL/ChatRWKV';

describe('a webhook and the API sync delivering the same fact store one row (e2e, sim payloads)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let repositoryId: number;
  let deliveries: WebhookDelivery[];
  let facts: { merged: number; reviewId: number; stargazerId: number };

  /** Stores a delivery as the webhook endpoint would (received now, or at `receivedAt`) and processes it as the worker does; returns activities inserted. */
  const deliver = async (delivery: WebhookDelivery, receivedAt?: Date): Promise<number> => {
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload, received_at) VALUES ($1, $2, $3, $4, COALESCE($5, now())) RETURNING id`,
      [randomUUID(), delivery.event, (delivery.payload.action as string | undefined) ?? null, JSON.stringify(delivery.payload), receivedAt ?? null],
    );
    const processed = await app.get(DeliveryProcessingService).process(rows[0].id, { finalAttempt: true });
    expect(processed.status).toBe('processed');
    return (processed as { activitiesInserted: number }).activitiesInserted;
  };
  const rowsOf = async (where: string, params: unknown[]) =>
    (await db.query(`SELECT type, source, source_key FROM activity WHERE ${where} ORDER BY source_key`, params)).rows as Array<{
      type: string;
      source: string;
      source_key: string;
    }>;
  const sync = () =>
    app.get(RepositorySyncService).syncRepository(repositoryId, { resources: ['pulls', 'reviews', 'stargazers'], relistStars: true });

  beforeAll(async () => {
    sim = await createGithubSim({ snapshot: await sharedSnapshot(), port: 0 });
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-adversarial-webhooks-token' });
    app = await (
      await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule, DeliveryProcessingModule] }).compile()
    ).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    db.on('error', () => undefined);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('both', 'Webhooks and sync');
    await ecosystems.track('both', { kind: 'repository', name: REPOSITORY });
    await app.get(RepositoryDiscoveryService).discover(ecosystem.id);
    repositoryId = (await db.query(`SELECT id::int AS id FROM repository`)).rows[0].id as number;

    const scope = webhookScope(sim.snapshot, REPOSITORY);
    const data = scope.data;
    const merged = [...data.pulls].reverse().find((pull) => pull.merged)!;
    const review = data.reviews.find((item) => item.user !== null)!;
    const reviewed = data.pullByNumber.get(review.pullNumber)!;
    const star = data.stargazers[0];
    facts = { merged: merged.number, reviewId: review.id, stargazerId: star.user.id };
    const repoJson = renderRepository(data, scope.urls);
    deliveries = [
      buildPullRequestDelivery(sim.snapshot, REPOSITORY, 'closed', { number: merged.number }),
      {
        event: 'pull_request_review',
        payload: {
          action: 'submitted',
          review: renderReview(review, data.repository, scope.urls),
          pull_request: renderPullRequest(reviewed, data, repoJson, scope.urls),
          ...envelope(scope, review.user!),
        },
      },
      buildStarDelivery(sim.snapshot, REPOSITORY, { sender: star.user.login, at: star.starredAt }),
    ];
  }, 180_000);

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it('webhooks first: the sync then finds the merge, the review and the star stored and adds no second row for them', async () => {
    for (const delivery of deliveries) expect(await deliver(delivery)).toBeGreaterThan(0);
    const before = await rowsOf(`source = 'webhook'`, []);
    expect(before.map((row) => row.type).sort()).toEqual(['pull_request_merged', 'review', 'star']);

    await sync();
    expect(await rowsOf(`type = 'pull_request_merged' AND source_key LIKE $1`, [`pull_request:${repositoryId}:${facts.merged}:%`])).toEqual([
      { type: 'pull_request_merged', source: 'webhook', source_key: `pull_request:${repositoryId}:${facts.merged}:merged` },
    ]);
    expect(await rowsOf(`type = 'review' AND source_key = $1`, [`review:${facts.reviewId}`])).toEqual([
      { type: 'review', source: 'webhook', source_key: `review:${facts.reviewId}` },
    ]);
    expect(await rowsOf(`type = 'star' AND repository_id = $1 AND source_key LIKE $2`, [repositoryId, `%:${facts.stargazerId}`])).toEqual([
      { type: 'star', source: 'webhook', source_key: `star:${repositoryId}:${facts.stargazerId}` },
    ]);
    const [{ duplicates }] = (await db.query(`SELECT count(*)::int AS duplicates FROM (SELECT source_key FROM activity GROUP BY 1 HAVING count(*) > 1) d`))
      .rows;
    expect(duplicates).toBe(0);
  });

  it('sync first: the same facts redelivered by webhooks (new delivery ids) insert nothing', async () => {
    const [{ total }] = (await db.query(`SELECT count(*)::int AS total FROM activity`)).rows;
    for (const delivery of deliveries) expect(await deliver(delivery)).toBe(0);
    expect((await db.query(`SELECT count(*)::int AS total FROM activity`)).rows[0].total).toBe(total);
  });

  it("the repository's counts: the newest observation wins between deliveries and discovery, whatever order they are written in", async () => {
    const stored = async () =>
      (await db.query(`SELECT stargazers_count AS stars, state_observed_at AS observed FROM repository WHERE id = $1`, [repositoryId])).rows[0] as {
        stars: number;
        observed: Date;
      };
    const rediscover = async () => {
      await db.query(`UPDATE tracked_source SET discovery = '{}'`); // no stored ETags: GitHub answers in full
      const [{ ecosystem_id }] = (await db.query(`SELECT ecosystem_id FROM repository WHERE id = $1`, [repositoryId])).rows;
      await app.get(RepositoryDiscoveryService).discover(ecosystem_id);
    };
    // an older observation stored: discovery replaces it with GitHub's answer
    await db.query(`UPDATE repository SET stargazers_count = 0, state_observed_at = now() - interval '2 hours' WHERE id = $1`, [repositoryId]);
    await rediscover();
    const github = await stored();
    expect(github.stars).toBeGreaterThan(0);

    const star = deliveries[2];
    const withStars = (stars: number): WebhookDelivery => ({
      ...star,
      payload: { ...star.payload, repository: { ...(star.payload.repository as Record<string, unknown>), stargazers_count: stars } },
    });
    await deliver(withStars(github.stars + 50), new Date(github.observed.getTime() - 3_600_000)); // received before discovery asked, processed late
    expect((await stored()).stars).toBe(github.stars);
    const later = new Date(Date.now() + 3_600_000);
    await deliver(withStars(github.stars + 1), later); // received after
    expect(await stored()).toEqual({ stars: github.stars + 1, observed: later });
    await rediscover(); // GitHub's answer now is older than that delivery
    expect((await stored()).stars).toBe(github.stars + 1);
  });
});
