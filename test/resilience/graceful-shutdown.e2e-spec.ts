import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import pg from 'pg';
import { signWebhookBody } from '#libs/github';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { AppProcess, TEST_APP_ENV } from '../helpers/app-process.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { until } from './resilience-processes.js';

const run = promisify(execFile);
const SECRET = 'shutdown-webhook-secret';

/** True when a TCP connection to the port is refused (nothing listens any more). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

/** POSTs one signed `ping` delivery over a fresh connection; resolves with the status. */
function postDelivery(port: number): Promise<number> {
  const body = JSON.stringify({ zen: 'Approachable is better than simple.', hook_id: 9 });
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path: '/webhooks/github',
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signWebhookBody(body, SECRET),
      },
    });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('graceful shutdown on SIGTERM (compiled api and worker as child processes)', () => {
  let env: TestEnv;
  let db: pg.Client;
  let locker: pg.Client;
  const children: AppProcess[] = [];

  const start = (app: 'api' | 'worker', extra: Record<string, string> = {}): AppProcess => {
    const child = AppProcess.start(
      app,
      { ...TEST_APP_ENV, DATABASE_URL: env.database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: env.queuePrefix, GITHUB_WEBHOOK_SECRETS: SECRET, ...extra },
      { stderr: 'inherit' },
    );
    children.push(child);
    return child;
  };
  /**
   * Sessions of the test database waiting for a lock (the blocked request or job); with `statement`,
   * only those running a statement that starts so.
   */
  const lockWaiters = async (statement = '') =>
    Number(
      (
        await db.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND starts_with(ltrim(query), $1)`, [
          statement,
        ])
      ).rows[0].count,
    );
  const holdDeliveriesLock = async () => {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE webhook_delivery IN ACCESS EXCLUSIVE MODE');
  };
  const webhooksQueue = () => new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });

  beforeAll(async () => {
    env = await createTestEnv();
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { timeout: 240_000 });
    db = new pg.Client({ connectionString: env.database.url });
    locker = new pg.Client({ connectionString: env.database.url });
    await Promise.all([db.connect(), locker.connect()]);
  }, 300_000);

  afterEach(async () => {
    await locker.query('ROLLBACK').catch(() => undefined);
    for (const child of children.splice(0)) await child.kill();
  });

  afterAll(async () => {
    await Promise.all([db?.end(), locker?.end()]);
    const queue = webhooksQueue();
    await queue.obliterate({ force: true });
    await queue.close();
    await env?.teardown();
  });

  it('api: a request in flight at SIGTERM completes, new connections are refused, then the process exits 0', async () => {
    const api = start('api');
    const port = Number(new URL(await api.url()).port);
    expect(await postDelivery(port)).toBe(202);

    await holdDeliveriesLock();
    const inFlight = postDelivery(port);
    // the request's INSERT, not the api's relay, whose pass also waits on this lock
    await until(async () => (await lockWaiters('INSERT INTO webhook_delivery')) > 0, 'the request to wait on the lock');
    api.child.kill('SIGTERM');
    await api.logged('shutting down');
    await until(() => refused(port), 'new connections to be refused');
    expect(api.child.exitCode).toBeNull(); // still serving the request in flight

    await locker.query('COMMIT');
    expect(await inFlight).toBe(202);
    expect(await api.exited).toBe(0);
    expect(Number((await db.query(`SELECT count(*) FROM webhook_delivery`)).rows[0].count)).toBe(2);
    expect(api.lines.some((line) => line.msg === 'shut down')).toBe(true);
  }, 300_000);

  it('worker: a SIGTERM during the start lets the start finish, then stops gracefully and exits 0', async () => {
    // the key of the advisory lock under which every process runs the migrations (libs/db prepare-database.ts)
    const migrationLock = 0x43414d42;
    await locker.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      const worker = start('worker', { SHUTDOWN_TIMEOUT_SECONDS: '120' });
      const waitingForMigrationLock = async () =>
        Number(
          (await db.query(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`)).rows[0]
            .count,
        ) > 0;
      await until(waitingForMigrationLock, 'the worker to wait for the migration lock');
      expect(worker.lines.some((line) => line.msg === 'processing queues')).toBe(false); // still starting
      worker.child.kill('SIGTERM');
      await worker.logged('shutting down');
      await locker.query('SELECT pg_advisory_unlock($1)', [migrationLock]);
      expect(await worker.exited).toBe(0);
      expect(worker.child.signalCode).toBeNull(); // not ended by the signal's default action
      expect(worker.lines.some((line) => line.msg === 'shut down')).toBe(true);
    } finally {
      await locker.query('SELECT pg_advisory_unlock_all()');
    }
  }, 300_000);

  it('worker: a job running at SIGTERM completes before the process exits 0; it is not run again', async () => {
    const api = start('api');
    const port = Number(new URL(await api.url()).port);
    const queue = webhooksQueue();
    try {
      // rows first: the api's relay would enqueue again a stored delivery whose job is gone
      await db.query(`DELETE FROM webhook_delivery`);
      await queue.obliterate({ force: true });
      expect(await postDelivery(port)).toBe(202);
      await holdDeliveriesLock();
      const worker = start('worker', { SHUTDOWN_TIMEOUT_SECONDS: '120' });
      const delivery = async () => (await queue.getJobs(['active', 'wait', 'completed', 'failed'])).find((job) => job.name === 'process-delivery');
      await until(async () => (await delivery()) !== undefined && (await (await delivery())!.isActive()) && (await lockWaiters()) > 0, 'the job to be running');
      // logged once the signal handler is installed (the api's relay may wait on the lock too, so the
      // lock waiters alone do not say the worker has finished booting)
      await worker.logged('processing queues');
      worker.child.kill('SIGTERM');
      await worker.logged('shutting down');
      expect(worker.child.exitCode).toBeNull(); // waiting for its job

      await locker.query('COMMIT');
      expect(await worker.exited).toBe(0);
      const job = (await delivery())!;
      expect(await job.getState()).toBe('completed');
      expect(job.attemptsMade).toBe(1);
      expect(job.stalledCounter).toBe(0);
      const { rows } = await db.query(`SELECT status, attempts FROM webhook_delivery`);
      expect(rows).toEqual([{ status: expect.stringMatching(/^(processed|ignored)$/), attempts: 1 }]);
      expect(worker.lines.find((line) => line.msg === 'job completed' && line.job === 'process-delivery')).toMatchObject({ queue: 'webhooks', jobId: job.id });
    } finally {
      await queue.close();
    }
  }, 300_000);

  it('worker: a job still running when SHUTDOWN_TIMEOUT_SECONDS runs out is handed back and run once by the next worker', async () => {
    const api = start('api');
    const port = Number(new URL(await api.url()).port);
    const queue = webhooksQueue();
    try {
      // rows first: the api's relay would enqueue again a stored delivery whose job is gone
      await db.query(`DELETE FROM webhook_delivery`);
      await queue.obliterate({ force: true });
      expect(await postDelivery(port)).toBe(202);
      await holdDeliveriesLock();
      const first = start('worker', { SHUTDOWN_TIMEOUT_SECONDS: '1' });
      const delivery = async () => (await queue.getJobs(['active', 'wait', 'completed', 'failed'])).find((job) => job.name === 'process-delivery');
      await until(async () => (await delivery()) !== undefined && (await (await delivery())!.isActive()) && (await lockWaiters()) > 0, 'the job to be running');
      await first.logged('processing queues'); // the signal handler is installed
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(1);
      expect(first.lines.find((line) => line.msg === 'job handed back to the queue at shutdown')).toMatchObject({ queue: 'webhooks', job: 'process-delivery' });
      expect(await (await delivery())!.getState()).toBe('waiting'); // back in the queue, not lost nor locked

      await locker.query('COMMIT');
      const second = start('worker');
      await until(async () => (await (await delivery())!.getState()) === 'completed', 'the next worker to complete the job');
      const job = (await delivery())!;
      expect(job.attemptsMade).toBe(1); // the abandoned run is not counted as a failed attempt
      expect(await queue.getJobCounts('failed')).toEqual({ failed: 0 });
      const { rows } = await db.query(`SELECT status FROM webhook_delivery`);
      expect(rows).toEqual([{ status: expect.stringMatching(/^(processed|ignored)$/) }]);
      // it can complete the job before it logs that its signal handler is installed (a loaded machine): wait for it,
      // or SIGTERM's default action ends it by the signal instead of the graceful path under test
      await second.logged('processing queues');
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      await queue.close();
    }
  }, 300_000);
});
