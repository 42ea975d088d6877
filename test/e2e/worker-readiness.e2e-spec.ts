import { closeWorkerGracefully, createWorkerProcess, type WorkerProcess } from '../../apps/worker/src/bootstrap.js';
import { RedisServer, until } from '../helpers/local-servers.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

type Probe = { status: number; body: { status: string; info?: Record<string, { status: string }>; error?: Record<string, { status: string; message?: string }> } };

/**
 * The worker's probes on its metrics port (`METRICS_PORT`): `/health/live`, and `/health/ready`
 * with the api's checks (Postgres, Redis, migrations) and its own BullMQ workers. A `redis-server`
 * this test starts on a spare port is stopped and started again under the running worker.
 */
describe('worker readiness on the metrics port (e2e: the worker process in-test, Postgres, its own redis-server)', () => {
  let env: TestEnv;
  let redis: RedisServer | undefined;
  let worker: WorkerProcess | undefined;
  let url: string;

  const probe = async (path: string): Promise<Probe> => {
    const response = await fetch(`${url}${path}`);
    return { status: response.status, body: (await response.json()) as Probe['body'] };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    redis = await RedisServer.start();
    env.apply({ REDIS_URL: redis.url, METRICS_PORT: '0', LOG_LEVEL: 'silent' });
    worker = await createWorkerProcess();
    url = `http://127.0.0.1:${worker.metrics!.port}`;
  });

  afterAll(async () => {
    if (redis && !redis.running) await redis.restart();
    if (worker) await closeWorkerGracefully(worker).catch(() => undefined);
    await redis?.kill();
    await env?.teardown();
  });

  it('is ready with Postgres, Redis, migrations and its workers up; 503 naming redis while it is away; ready again after', async () => {
    await until(async () => (await probe('/health/ready')).status === 200, 'the worker to be ready');
    const ready = await probe('/health/ready');
    expect(ready.body.info).toMatchObject({ postgres: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' }, workers: { status: 'up' } });
    expect(await probe('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });

    await redis!.kill();
    const down = await probe('/health/ready');
    expect(down.status).toBe(503);
    expect(down.body.error?.redis?.status).toBe('down');
    expect(down.body.info).toMatchObject({ postgres: { status: 'up' }, migrations: { status: 'up' } });
    expect((await probe('/health/live')).status).toBe(200);

    await redis!.restart();
    await until(async () => (await probe('/health/ready')).status === 200, 'readiness once Redis is back');
  });

  it('is not ready once its BullMQ workers are closing', async () => {
    const closing = worker!.workers[0].close();
    const answer = await probe('/health/ready');
    expect(answer.status).toBe(503);
    expect(answer.body.error?.workers).toMatchObject({ status: 'down', message: 'a BullMQ worker is closing or not running' });
    await closing;
  });
});
