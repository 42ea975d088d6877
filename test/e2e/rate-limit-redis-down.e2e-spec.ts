import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { RedisServer, until } from '../helpers/local-servers.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** Rate limits fail open while Redis is away: a `redis-server` this test starts is killed under a running api. */
describe('rate limits while Redis is away', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  let redis: RedisServer | undefined;
  const logLines: string[] = [];

  const ask = (ip: string) =>
    fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: '{"query":"{ __typename }"}',
    }).then((response) => response.status);

  beforeAll(async () => {
    env = await createTestEnv();
    redis = await RedisServer.start();
    env.apply({ REDIS_URL: redis.url, RATE_LIMIT_GRAPHQL_PER_IP: '2/60s', LOG_LEVEL: 'warn' });
    app = await createApiApp({ logDestination: { write: (line: string) => void logLines.push(line) } });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    if (redis && !redis.running) await redis.restart(); // the app closes its Redis connections
    await app?.close();
    await redis?.kill();
    await env?.teardown();
  });

  it('holds the budget while Redis answers, lets requests through with one warning while it is down, and holds again once it is back', async () => {
    const first = [await ask('10.9.0.1'), await ask('10.9.0.1'), await ask('10.9.0.1')];
    expect(first).toEqual([200, 200, 429]);

    await redis!.kill();
    const whileDown = [];
    for (let i = 0; i < 5; i++) whileDown.push(await ask('10.9.0.2'));
    expect(whileDown).toEqual([200, 200, 200, 200, 200]);
    const warnings = logLines.filter((line) => line.includes('rate limits not enforced'));
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0])).toMatchObject({ level: 'warn', err: expect.any(String) });

    await redis!.restart();
    // the limiter's connection reconnects on its own
    await until(async () => (await ask('10.9.0.3')) === 429, 'the budget to hold again');
  });
});
