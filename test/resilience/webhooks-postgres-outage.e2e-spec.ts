import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import pg from 'pg';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { startApp, type AppProcess, issueOpenedPayload, postDelivery, PostgresRelay, until } from './resilience-processes.js';

/**
 * Issue 9, "If Postgres is down, the endpoint answers 503 so that GitHub records the failure, and
 * nothing is half-written": a compiled api reaching Postgres through a relay the test controls
 * (the machine's Postgres itself keeps running).
 */
describe('webhook deliveries while Postgres is unreachable (compiled api behind a Postgres relay)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let relay: PostgresRelay;
  let api: AppProcess;
  let url: string;
  let queue: Queue;

  const rowsOf = async (deliveries: string[]) =>
    (await db.query(`SELECT delivery_id, status FROM webhook_delivery WHERE delivery_id = ANY($1::text[]) ORDER BY id`, [deliveries])).rows;

  beforeAll(async () => {
    env = await createTestEnv();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    const server = new URL(env.database.url);
    relay = new PostgresRelay({ host: server.hostname, port: Number(server.port || 5432) });
    const port = await relay.listen();
    const viaRelay = new URL(env.database.url);
    viaRelay.port = String(port);
    api = startApp('api', { DATABASE_URL: viaRelay.toString(), REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: env.queuePrefix });
    url = await api.url();
    queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
  }, 300_000);

  afterAll(async () => {
    await api?.kill();
    await relay?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await db?.end();
    await env?.teardown();
  });

  it('answers 503 with nothing written while Postgres refuses connections or does not answer, and stores again once it is back', async () => {
    const first = randomUUID();
    expect((await postDelivery(url, first, issueOpenedPayload(1))).status).toBe(202);
    const jobsBefore = await queue.getWaitingCount();

    // Postgres stopped: connections refused, the open ones cut
    await relay.refuse();
    const refused = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, delivery] of refused.entries()) {
      const answer = await postDelivery(url, delivery, issueOpenedPayload(10 + i));
      expect(answer).toEqual({ status: 503, body: expect.objectContaining({ statusCode: 503, error: 'STORAGE_UNAVAILABLE' }) });
    }

    // a partitioned network: connections accepted, nothing answered; the api answers 503 before GitHub's 10 s
    await relay.blackHole();
    const unanswered = randomUUID();
    const answer = await postDelivery(url, unanswered, issueOpenedPayload(20));
    expect(answer).toEqual({ status: 503, body: expect.objectContaining({ error: 'STORAGE_UNAVAILABLE' }) });

    await relay.up();
    // the pool recovers without a restart: a new delivery, then GitHub's redelivery of the failed ones
    const after = randomUUID();
    await until(async () => (await postDelivery(url, after, issueOpenedPayload(30))).status === 202, 'the api to store deliveries again');
    expect(await rowsOf([...refused, unanswered])).toEqual([]); // nothing half-written meanwhile
    for (const [i, delivery] of [...refused, unanswered].entries()) {
      expect((await postDelivery(url, delivery, issueOpenedPayload(10 + i))).status).toBe(202);
    }
    const stored = await rowsOf([first, ...refused, unanswered, after]);
    expect(stored.map((row) => row.delivery_id).sort()).toEqual([first, ...refused, unanswered, after].sort());
    // one job per stored delivery, none for the refused attempts
    expect(await queue.getWaitingCount()).toBe(jobsBefore + 5);
  }, 300_000);
});
