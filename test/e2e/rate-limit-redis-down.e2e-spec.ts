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

async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Rate limits fail open while Redis is away: a `redis-server` this test starts is killed under a running api. */
describe('rate limits while Redis is away', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  let port: number;
  let redis: ChildProcess | undefined;
  const logLines: string[] = [];

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
  const ask = (ip: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: '{"query":"{ __typename }"}',
    }).then((response) => response.status);

  beforeAll(async () => {
    env = await createTestEnv();
    port = await freePort();
    await startRedis();
    env.apply({ REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_GRAPHQL_PER_IP: '2/60s', LOG_LEVEL: 'warn' });
    app = await createApiApp({ logDestination: { write: (line: string) => void logLines.push(line) } });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    if (!redis) await startRedis();
    await app?.close();
    if (redis) await stopRedis();
    await env?.teardown();
  });

  it('holds the budget while Redis answers, lets requests through with one warning while it is down, and holds again once it is back', async () => {
    const first = [await ask('10.9.0.1'), await ask('10.9.0.1'), await ask('10.9.0.1')];
    expect(first).toEqual([200, 200, 429]);

    await stopRedis();
    const whileDown = [];
    for (let i = 0; i < 5; i++) whileDown.push(await ask('10.9.0.2'));
    expect(whileDown).toEqual([200, 200, 200, 200, 200]);
    const warnings = logLines.filter((line) => line.includes('rate limits not enforced'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 'warn', err: expect.any(String) });

    await startRedis();
    // the limiter's connection reconnects on its own
    await until(async () => (await ask('10.9.0.3')) === 429, 'the budget to hold again');
  });
});
