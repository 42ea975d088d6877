import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import pg from 'pg';
import { processDeliveryJobId } from '#libs/github';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { startApp, type AppProcess, issueOpenedPayload, postDelivery, RedisServer, until, type PostAnswer } from './resilience-processes.js';

/**
 * Issue 9, "Redis down while deliveries arrive": a redis-server of the test's own (no persistence,
 * so SIGKILL loses every queued job) under two compiled api processes and a worker.
 */
describe('webhook deliveries while Redis is killed and restarted (compiled api x2 and worker, own redis-server)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let redis: RedisServer;
  const processes: AppProcess[] = [];

  const start = (app: 'api' | 'worker', prefix: string) => {
    const child = startApp(app, {
      DATABASE_URL: env.database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      WEBHOOK_RELAY_EVERY_SECONDS: '1',
      WEBHOOK_WORKER_CONCURRENCY: '4',
    });
    processes.push(child);
    return child;
  };
  /** Sum of the `relayed` counts the api processes logged. */
  const relayedBy = (apis: AppProcess[]) =>
    apis.flatMap((api) => api.lines).reduce((sum, line) => sum + (typeof line.relayed === 'number' ? line.relayed : 0), 0);

  beforeAll(async () => {
    env = await createTestEnv();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    for (const child of processes.splice(0)) await child.kill();
  });

  afterAll(async () => {
    await redis?.kill();
    await db?.end();
    await env?.teardown();
  });

  it('acknowledges every delivery of a burst during which Redis dies and comes back, and processes each exactly once', async () => {
    const apis = [start('api', env.queuePrefix), start('api', env.queuePrefix)];
    const worker = start('worker', env.queuePrefix);
    const urls = await Promise.all(apis.map((api) => api.url()));
    await worker.logged('processing queues');

    const total = 180;
    const deliveries = Array.from({ length: total }, () => randomUUID());
    const answers: PostAnswer[] = [];
    /** Posts deliveries [from, to) four at a time, alternating between the two api processes. */
    const burst = async (from: number, to: number) => {
      for (let i = from; i < to; i += 4) {
        const slice = deliveries.slice(i, Math.min(i + 4, to));
        answers.push(...(await Promise.all(slice.map((delivery, k) => postDelivery(urls[(i + k) % 2], delivery, issueOpenedPayload(i + k + 1))))));
      }
    };

    await burst(0, 60);
    await redis.kill(); // mid-burst: whatever was queued and not yet processed is gone with it
    await burst(60, 120); // Redis away: stored and acknowledged all the same
    await redis.restart(); // same port, empty
    await burst(120, total);

    expect(answers.map((answer) => answer.status)).toEqual(Array(total).fill(202));
    expect(answers.slice(60, 120).every((answer) => answer.body.status === 'stored')).toBe(true);

    const processed = async () =>
      Number((await db.query(`SELECT count(*) FROM webhook_delivery WHERE status = 'processed'`)).rows[0].count) === total || undefined;
    await until(processed, `all ${total} deliveries processed`);

    const { rows: statuses } = await db.query(`SELECT status, count(*)::int AS n FROM webhook_delivery GROUP BY status`);
    expect(statuses).toEqual([{ status: 'processed', n: total }]);
    const { rows: stored } = await db.query(`SELECT delivery_id FROM webhook_delivery ORDER BY id`);
    expect(new Set(stored.map((row) => row.delivery_id))).toEqual(new Set(deliveries));
    // one issue and one `issue_opened` activity per delivery: no delivery lost, none applied twice
    const { rows: issues } = await db.query(`SELECT count(*)::int AS n, count(DISTINCT number)::int AS numbers FROM issue`);
    expect(issues).toEqual([{ n: total, numbers: total }]);
    const { rows: activities } = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT source_key)::int AS keys FROM activity WHERE type = 'issue_opened'`,
    );
    expect(activities).toEqual([{ n: total, keys: total }]);
    // the jobs lost with Redis, and those of the deliveries stored while it was away, came from the relay
    await until(() => relayedBy(apis) > 0, 'a relay to log the deliveries it enqueued');
    expect(relayedBy(apis)).toBeLessThanOrEqual(total);
  }, 180_000);

  it('enqueues the deliveries stored while Redis was away in order of receipt, once, with two api processes relaying', async () => {
    const prefix = `${env.queuePrefix}-order`;
    const apis = [start('api', prefix), start('api', prefix)];
    const urls = await Promise.all(apis.map((api) => api.url()));
    const { rows: before } = await db.query(`SELECT coalesce(max(id), 0)::text AS id FROM webhook_delivery`);

    await redis.kill();
    await sleep(300); // let both processes see their Redis connection close before the first delivery
    // each api knows Redis is away once it acknowledges without enqueueing
    for (const url of urls) {
      await until(async () => (await postDelivery(url, randomUUID(), issueOpenedPayload(1000))).body.status === 'stored', 'an api to notice Redis is away');
    }
    const count = 40;
    for (let i = 0; i < count; i += 2) {
      const answers = await Promise.all([0, 1].map((k) => postDelivery(urls[k], randomUUID(), issueOpenedPayload(2000 + i + k))));
      expect(answers.map((answer) => [answer.status, answer.body.status])).toEqual([
        [202, 'stored'],
        [202, 'stored'],
      ]);
    }
    const { rows } = await db.query(
      `SELECT id::text AS id, delivery_id FROM webhook_delivery WHERE id > $1 ORDER BY received_at, id`,
      [before[0].id],
    );
    expect(rows.length).toBeGreaterThanOrEqual(count + 2);

    await redis.restart();
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(redis.url), prefix });
    try {
      // no worker runs: the jobs wait in the order they were added
      const waiting = await until(async () => {
        const jobs = await queue.getJobs(['wait'], 0, -1, true);
        return jobs.length >= rows.length ? jobs : undefined;
      }, `${rows.length} jobs in the webhooks queue`);
      expect(waiting.map((job) => job.id)).toEqual(rows.map((row) => processDeliveryJobId({ rowId: row.id, deliveryId: row.delivery_id })));
      // the relays of both processes together enqueued each delivery at most once (a relay logs its
      // count after its page is enqueued: wait for the lines, the jobs can be seen before them)
      await until(() => relayedBy(apis) >= count, 'the relays to log the deliveries they enqueued');
      expect(relayedBy(apis)).toBeLessThanOrEqual(rows.length);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 300_000);
});
