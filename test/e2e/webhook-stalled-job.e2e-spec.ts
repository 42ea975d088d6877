import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { processDeliveryJobId, signWebhookBody } from '#libs/github';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const SECRET = 'stalled-secret';

/** The worker side: config, database, queues and the webhooks processor only. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksProcessorModule] })
class WebhooksWorkerModule {}

/**
 * A `process-delivery` job whose workers died mid-job more often than BullMQ allows (maxStalledCount)
 * is failed by the next worker that takes it, without running it ("job stalled more than allowable
 * limit"). Its delivery must not stay `received` behind a failed job nobody relays: it becomes
 * `failed` with the reason, among the failed deliveries admins see and redeliver.
 *
 * The stalled checker's mark is what BullMQ's moveStalledJobsToWait script writes on the job hash
 * (`defa`, the deferred failure) when a job stalls once too often; the test writes that field itself
 * instead of SIGKILLing two workers (test/resilience covers the kills), then starts a real worker.
 */
describe('a delivery whose job BullMQ failed for stalling (e2e: api, Redis, worker)', () => {
  let env: TestEnv;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext | undefined;
  let db: pg.Client;
  let queue: Queue;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await db?.end();
    await env?.teardown();
  });

  it('marks the delivery failed with the reason, without running it', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const delivery = randomUUID();
    const response = await fetch(`${await api.getUrl()}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': delivery,
        'x-github-hook-id': '1',
        'x-hub-signature-256': signWebhookBody(body, SECRET),
      },
      body,
    });
    expect(response.status).toBeLessThan(300);
    const [row] = (await db.query(`SELECT id::text, status FROM webhook_delivery WHERE delivery_id = $1`, [delivery])).rows;
    expect(row.status).toBe('received');
    const jobId = processDeliveryJobId({ rowId: row.id, deliveryId: delivery });
    expect(await queue.getJobState(jobId)).toBe('waiting');

    // what the stalled checker leaves on a job that stalled once too often
    const client = (await queue.backend.client) as unknown as Pick<Redis, 'hset'>;
    await client.hset(queue.toKey(jobId), 'defa', 'job stalled more than allowable limit');

    worker = await NestFactory.createApplicationContext(WebhooksWorkerModule, { logger: false, abortOnError: false });
    const deadline = Date.now() + 120_000; // a hang guard: a fresh worker on a loaded machine is slow to start
    let state: { status: string; error: string | null; attempts: number } | undefined;
    while (Date.now() < deadline) {
      [state] = (await db.query(`SELECT status, error, attempts FROM webhook_delivery WHERE id = $1`, [row.id])).rows;
      if (state?.status !== 'received') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await queue.getJobState(jobId)).toBe('failed');
    // never processed (attempts counts processing runs), and visible as failed with why
    expect(state).toEqual({ status: 'failed', error: 'job failed without processing: job stalled more than allowable limit', attempts: 0 });
  });
});
