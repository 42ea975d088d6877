import { AppProcess, TEST_APP_ENV } from '../helpers/app-process.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

/** A compiled api (dist/apps/api/src/main.js, `npm run build` first) and where it listens. */
interface ApiProcess {
  process: AppProcess;
  url: string;
}

/**
 * Rate limits are counted in Redis, so two api processes behind one load balancer spend one budget:
 * requests alternate between two compiled apis started against the same Redis and database.
 */
describe('rate limits shared by two api processes', () => {
  let env: TestEnv;
  const apis: ApiProcess[] = [];

  const start = async (): Promise<ApiProcess> => {
    const child = AppProcess.start(
      'api',
      {
        ...TEST_APP_ENV,
        DATABASE_URL: env.database.url,
        REDIS_URL: TEST_REDIS_URL,
        QUEUE_PREFIX: env.queuePrefix,
        RATE_LIMIT_GRAPHQL_PER_IP: '6/60s',
        RATE_LIMIT_GRAPHQL_PER_TOKEN: '4/60s',
        RATE_LIMIT_WEBHOOK_PER_IP: '4/60s',
      },
      { stderr: 'inherit' },
    );
    const api = { process: child, url: await child.url() };
    apis.push(api);
    return api;
  };

  const ask = async (api: ApiProcess, headers: Record<string, string>) => {
    const response = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{"query":"{ __typename }"}',
    });
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> } };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    await Promise.all([start(), start()]);
  });

  afterAll(async () => {
    for (const api of apis) await api.process.stop();
    await env?.teardown();
  });

  it('spends one per-address budget across both processes', async () => {
    const [a, b] = apis;
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await ask(i % 2 === 0 ? a : b, { 'x-forwarded-for': '10.60.0.1' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    for (const api of [a, b]) {
      const refused = await ask(api, { 'x-forwarded-for': '10.60.0.1' });
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'ip', limit: 6 });
    }
    expect((await ask(b, { 'x-forwarded-for': '10.60.0.2' })).status).toBe(200);
  });

  it('spends one per-token budget across both processes and addresses', async () => {
    const [a, b] = apis;
    const token = { authorization: `Bearer cmb_${'t'.repeat(43)}` }; // well-formed, unknown: 401 once past the limiter
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(i % 2 === 0 ? a : b, { ...token, 'x-forwarded-for': `10.61.0.${i + 1}` })).status);
    expect(statuses).toEqual([401, 401, 401, 401]);
    const refused = await ask(a, { ...token, 'x-forwarded-for': '10.61.0.9' });
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', scope: 'token', limit: 4 });
  });

  it('spends one webhook budget per source across both processes', async () => {
    const [a, b] = apis;
    const deliver = (api: ApiProcess) =>
      fetch(`${api.url}/webhooks/github`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': crypto.randomUUID(), 'x-forwarded-for': '10.62.0.1' },
        body: '{}',
      }).then((response) => response.status);
    const statuses = [await deliver(a), await deliver(b), await deliver(a), await deliver(b), await deliver(a), await deliver(b)];
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
