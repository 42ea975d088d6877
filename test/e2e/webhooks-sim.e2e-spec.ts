import type { INestApplicationContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { buildActivityDeliveries } from '../../apps/github-sim/src/webhooks/build-activity.js';
import { emitWebhooks } from '../../apps/github-sim/src/webhooks/emit-webhooks.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const SECRET = 'sim-secret';

@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksProcessorModule] })
class WebhooksWorkerModule {}

describe('webhooks from the GitHub simulator (real RWKV data) through api and worker', () => {
  let env: TestEnv;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let db: pg.Client;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    worker = await NestFactory.createApplicationContext(WebhooksWorkerModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await env?.teardown();
  });

  it('processes every delivery the simulator sends for BlinkDL/RWKV-LM, with the sync’s activity keys', async () => {
    const snapshot = await sharedSnapshot();
    const deliveries = buildActivityDeliveries(snapshot, 'BlinkDL/RWKV-LM');
    const results = await emitWebhooks({ targetUrl: `${await api.getUrl()}/webhooks/github`, secret: SECRET, deliveries });
    expect(results.map((result) => result.status)).toEqual(deliveries.map(() => 202));

    const ids = results.map((result) => result.deliveryId);
    const deadline = Date.now() + 120_000; // a hang guard: a fresh worker on a loaded machine is slow to start
    let rows: Array<{ event: string; status: string; error: string | null }> = [];
    while (Date.now() < deadline) {
      rows = (await db.query(`SELECT event, status, error FROM webhook_delivery WHERE delivery_id = ANY($1) ORDER BY id`, [ids])).rows;
      if (rows.length === ids.length && rows.every((row) => row.status !== 'received')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(rows.map((row) => [row.event, row.status, row.error])).toEqual(deliveries.map((delivery) => [delivery.event, 'processed', null]));

    const push = deliveries[0].payload as { commits: Array<{ id: string; distinct: boolean }>; repository: { id: number } };
    const { rows: activities } = await db.query(`SELECT type, source_key FROM activity WHERE repository_id = $1`, [push.repository.id]);
    const types = new Set(activities.map((activity) => activity.type));
    for (const type of ['commit', 'pull_request_opened', 'issue_opened', 'issue_comment', 'star', 'fork', 'release']) expect(types).toContain(type);
    expect(types.has('pull_request_merged') || types.has('pull_request_closed')).toBe(true);
    const keys = new Set(activities.map((activity) => activity.source_key));
    for (const commit of push.commits.filter((c) => c.distinct)) expect(keys).toContain(`commit:${commit.id}`);
  });
});
