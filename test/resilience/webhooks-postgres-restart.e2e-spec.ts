import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import pg from 'pg';
import { prepareDatabase } from '#libs/db';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { testSecretBox } from '../helpers/test-database.js';
import { testQueuePrefix, TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { PostgresCluster } from './postgres-cluster.js';
import { startApp, type AppProcess, issueOpenedPayload, postDelivery, until, type PostAnswer } from './resilience-processes.js';

/** One delivery as the stream sent it, and every answer it got (a refused one is sent again). */
interface Sent {
  delivery: string;
  number: number;
  answers: PostAnswer[];
}

/** Signed deliveries from four senders, each posting its next one as soon as the last was answered. */
class DeliveryStream {
  readonly sent: Sent[] = [];
  private streaming = true;
  private readonly senders: Array<Promise<void>>;

  constructor(private readonly url: string) {
    this.senders = Array.from({ length: 4 }, () => this.send());
  }

  private async send(): Promise<void> {
    while (this.streaming) {
      const entry: Sent = { delivery: randomUUID(), number: this.sent.length + 1, answers: [] };
      this.sent.push(entry);
      entry.answers.push(await postDelivery(this.url, entry.delivery, issueOpenedPayload(entry.number)));
    }
  }

  acknowledged(): number {
    return this.sent.filter((entry) => entry.answers.some((answer) => answer.status < 300)).length;
  }

  /** Deliveries whose latest answer was a 503. */
  refused(): Sent[] {
    return this.sent.filter((entry) => entry.answers.at(-1)?.status === 503);
  }

  /** Stops sending; resolves once every request was answered. */
  async stop(): Promise<void> {
    this.streaming = false;
    await Promise.all(this.senders);
  }
}

/** `GET /health/ready` every 50 ms; the statuses in order (0: no answer). */
class ReadinessProbe {
  readonly statuses: number[] = [];
  private probing = true;
  private readonly loop: Promise<void>;

  constructor(url: string) {
    this.loop = (async () => {
      while (this.probing) {
        const response = await fetch(`${url}/health/ready`).catch(() => undefined);
        this.statuses.push(response?.status ?? 0);
        await response?.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
  }

  async stop(): Promise<void> {
    this.probing = false;
    await this.loop;
  }
}

/**
 * Issue 9, "Restart Postgres under load: no lost acknowledged delivery": a Postgres cluster of the
 * test's own (initdb + pg_ctl on a spare port), a compiled api and a worker on it, signed deliveries
 * streaming while Postgres restarts. The first case stops (`pg_ctl stop -m fast`, the first half
 * of `pg_ctl restart -m fast`) and starts it as two steps, so that the test sees the api not-ready
 * in between; the second runs `pg_ctl restart -m fast` itself. The stream never pauses.
 */
describe('webhook deliveries while Postgres restarts (own cluster, compiled api and worker)', () => {
  let cluster: PostgresCluster;
  const processes: AppProcess[] = [];
  const pools: pg.Pool[] = [];
  const prefixes: string[] = [];

  /** A migrated database of its own on the cluster, with an api and a worker on it. */
  const startApps = async (database: string) => {
    const databaseUrl = cluster.url(database);
    await prepareDatabase(databaseUrl, testSecretBox());
    const queuePrefix = testQueuePrefix();
    prefixes.push(queuePrefix);
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: queuePrefix,
      RATE_LIMIT_WEBHOOK_PER_IP: 'off',
      WEBHOOK_RELAY_EVERY_SECONDS: '1',
      // retries outlast the outage (exponential from 200 ms: 200 ms … 51 s)
      WEBHOOK_JOB_ATTEMPTS: '10',
      WEBHOOK_JOB_BACKOFF_MS: '200',
      WEBHOOK_WORKER_CONCURRENCY: '4',
    };
    const api = startApp('api', env);
    const worker = startApp('worker', env);
    processes.push(api, worker);
    const url = await api.url();
    await worker.logged('processing queues');
    return { api, worker, url, databaseUrl };
  };

  /**
   * Checks every answer was a 202 or a clean 503, redelivers the refused deliveries (GitHub's
   * redelivery), and checks that the stored set is everything sent, each applied exactly once.
   */
  const redeliverAndCheck = async (url: string, databaseUrl: string, stream: DeliveryStream) => {
    const answers = stream.sent.flatMap((entry) => entry.answers);
    expect([...new Set(answers.map((answer) => answer.status))].filter((status) => status !== 202 && status !== 503)).toEqual([]);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expect(answer.body).toEqual(expect.objectContaining({ statusCode: 503, error: 'STORAGE_UNAVAILABLE' }));
    }
    // stored now (200 "duplicate" should a refused INSERT have committed after the api stopped waiting for it)
    for (const entry of stream.refused()) {
      const answer = await postDelivery(url, entry.delivery, issueOpenedPayload(entry.number));
      entry.answers.push(answer);
      expect([202, 200]).toContain(answer.status);
    }

    const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pools.push(db);
    const total = stream.sent.length;
    await until(
      async () => Number((await db.query(`SELECT count(*) FROM webhook_delivery WHERE status = 'processed'`)).rows[0].count) === total || undefined,
      `all ${total} deliveries processed`,
    );
    const { rows: stored } = await db.query(`SELECT delivery_id FROM webhook_delivery`);
    expect(stored).toHaveLength(total);
    expect(new Set(stored.map((row) => row.delivery_id))).toEqual(new Set(stream.sent.map((entry) => entry.delivery)));
    // applied exactly once: one issue and one `issue_opened` activity per delivery
    const { rows: issues } = await db.query(`SELECT count(*)::int AS n, count(DISTINCT number)::int AS numbers FROM issue`);
    expect(issues).toEqual([{ n: total, numbers: total }]);
    const { rows: activities } = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT source_key)::int AS keys FROM activity WHERE type = 'issue_opened'`,
    );
    expect(activities).toEqual([{ n: total, keys: total }]);
  };

  beforeAll(async () => {
    cluster = await PostgresCluster.start();
  }, 300_000);

  afterEach(async () => {
    for (const child of processes.splice(0)) await child.kill();
    // closed before the next test restarts the cluster under them (which would end their idle connections)
    for (const pool of pools.splice(0)) await pool.end().catch(() => undefined);
  });

  afterAll(async () => {
    for (const pool of pools) await pool.end().catch(() => undefined);
    for (const prefix of prefixes) {
      const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await cluster?.destroy();
  });

  it('stores and processes once every delivery it acknowledged, answers 503 to the rest, and goes not-ready then ready without a process restart', async () => {
    const { api, worker, url, databaseUrl } = await startApps('cambrian_stop_start');
    const apiPid = api.child.pid;
    const readiness = new ReadinessProbe(url);
    const stream = new DeliveryStream(url);
    try {
      await until(() => stream.acknowledged() >= 50, '50 deliveries acknowledged before the restart');
      await cluster.stop('fast');
      await until(() => readiness.statuses.at(-1) === 503, '/health/ready to answer 503 while Postgres is down');
      await until(() => stream.refused().length >= 8, 'deliveries refused while Postgres is down');
      await cluster.begin();
      await until(() => readiness.statuses.at(-1) === 200, '/health/ready to answer 200 once Postgres is back');
      const ackedAfter = stream.acknowledged();
      await until(() => stream.acknowledged() >= ackedAfter + 50, '50 more deliveries acknowledged after the restart');
    } finally {
      await stream.stop();
      await readiness.stop();
    }

    expect(stream.refused().length).toBeGreaterThan(0);
    // not-ready while Postgres was down, ready before and after; the same api and worker processes
    const firstDown = readiness.statuses.indexOf(503);
    expect(firstDown).toBeGreaterThan(-1);
    expect(readiness.statuses.slice(0, firstDown)).toContain(200);
    expect(readiness.statuses.slice(firstDown)).toContain(200);
    api.assertRunning();
    expect(api.child.pid).toBe(apiPid);
    worker.assertRunning();
    await redeliverAndCheck(url, databaseUrl, stream);
  }, 180_000);

  it('loses no acknowledged delivery across `pg_ctl restart -m fast` mid-stream', async () => {
    const { api, worker, url, databaseUrl } = await startApps('cambrian_restart');
    const stream = new DeliveryStream(url);
    try {
      await until(() => stream.acknowledged() >= 50, '50 deliveries acknowledged before the restart');
      await cluster.restart();
      const ackedAfter = stream.acknowledged();
      await until(() => stream.acknowledged() >= ackedAfter + 50, '50 more deliveries acknowledged after the restart');
    } finally {
      await stream.stop();
    }
    api.assertRunning();
    worker.assertRunning();
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    await redeliverAndCheck(url, databaseUrl, stream);
  }, 180_000);
});
