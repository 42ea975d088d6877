import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { RedisServer, until } from '../helpers/local-servers.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * Readiness follows Redis: a `redis-server` this test starts on a spare port is stopped and started
 * again under a running api.
 */
describe('observability: /health/ready and /metrics while Redis is away', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  let redis: RedisServer | undefined;

  const ready = async () => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; info?: Record<string, unknown>; error?: Record<string, { status: string }> } };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    redis = await RedisServer.start();
    env.apply({ REDIS_URL: redis.url });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    if (redis && !redis.running) await redis.restart(); // the app closes its Redis connections
    await app?.close();
    await redis?.kill();
    await env?.teardown();
  });

  it('answers 503 naming redis while it is down, /metrics still answers, and 200 again once it is back', async () => {
    expect((await ready()).status).toBe(200);
    await redis!.kill();

    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('error');
    expect(Object.keys(down.body.error ?? {})).toEqual(['redis']);
    expect(down.body.error?.redis.status).toBe('down');
    expect(down.body.info).toMatchObject({ postgres: { status: 'up' }, migrations: { status: 'up' } });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);

    const scrape = await fetch(`${url}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).not.toMatch(/^cambrian_queue_jobs\{/m); // unknown, not zero

    await redis!.restart();
    await until(async () => (await ready()).status === 200, 'readiness once Redis is back');
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^cambrian_queue_jobs\{queue="webhooks",state="waiting"\} 0$/m);
  });
});
