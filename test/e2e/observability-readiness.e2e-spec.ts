import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function until<T>(probe: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Readiness follows Redis: a `redis-server` this test starts on a spare port is stopped and started
 * again under a running api.
 */
describe('observability: /health/ready and /metrics while Redis is away', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  let port: number;
  let redis: ChildProcess | undefined;

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(async () => {
      const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    }, 'redis-server to answer');
  };
  const stopRedis = async () => {
    const child = redis!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    redis = undefined;
  };
  const ready = async () => {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: (await response.json()) as { status: string; info?: Record<string, unknown>; error?: Record<string, { status: string }> } };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    port = await freePort();
    await startRedis();
    env.apply({ REDIS_URL: `redis://127.0.0.1:${port}` });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    if (!redis) await startRedis();
    await app?.close();
    if (redis) await stopRedis();
    await env?.teardown();
  });

  it('answers 503 naming redis while it is down, /metrics still answers, and 200 again once it is back', async () => {
    expect((await ready()).status).toBe(200);
    await stopRedis();

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

    await startRedis();
    await until(async () => (await ready()).status === 200, 'readiness once Redis is back');
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^cambrian_queue_jobs\{queue="webhooks",state="waiting"\} 0$/m);
  });
});
