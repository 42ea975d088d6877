import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { MAX_DOCUMENT_CHARACTERS, MAX_DOCUMENT_TOKENS } from '../../apps/api/src/graphql/document-limits.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * Every answer of POST/GET /graphql carries `Cache-Control: no-store` (apps/api/src/http/http-protection.ts):
 * answers and refusals alike depend on who asks, so no browser or shared cache may keep one — including the
 * refusals made before Apollo runs (body, document limits, credentials, rate limits). Each is sent from an
 * address of its own (X-Forwarded-For, TRUST_PROXY=loopback) so the rate limit only bites where meant.
 */
describe('Cache-Control: no-store on every /graphql answer', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let base: string;
  let token: string;
  let next = 0;
  const ip = () => `10.99.${Math.floor(++next / 250)}.${(next % 250) + 1}`;

  async function post(body: string, headers: Record<string, string> = {}, from = ip()) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...headers },
      body,
    });
    return { status: response.status, cacheControl: response.headers.get('cache-control'), text: await response.text() };
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ TRUST_PROXY: 'loopback', RATE_LIMIT_GRAPHQL_PER_IP: '3/60s' });
    app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    token = (await app.get(ApiTokenService, { strict: false }).create({ name: 'no-store', role: 'admin' })).secret;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('an ordinary query', async () => {
    const answer = await post(JSON.stringify({ query: '{ __typename }' }));
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe('no-store');
  });

  it('a GraphQL syntax error and a validation error', async () => {
    expect((await post(JSON.stringify({ query: '{ __typename' }))).cacheControl).toBe('no-store');
    expect((await post(JSON.stringify({ query: '{ noSuchField }' }))).cacheControl).toBe('no-store');
  });

  it.each([
    ['a body that is not JSON (400)', () => '{"query": '],
    ['a body without a query (400)', () => JSON.stringify({ variables: {} })],
    ['a document over MAX_DOCUMENT_CHARACTERS (413)', () => JSON.stringify({ query: `{ __typename ${' '.repeat(MAX_DOCUMENT_CHARACTERS)} }` })],
    ['a document over MAX_DOCUMENT_TOKENS (400)', () => JSON.stringify({ query: `{ ${'__typename '.repeat(MAX_DOCUMENT_TOKENS + 10)} }` })],
    ['a body over the route body limit (413)', () => JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(2_000_000) } })],
    ['a batched request (array body)', () => JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }])],
  ])('%s carries no-store', async (_name, body) => {
    const answer = await post(body());
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.cacheControl).toBe('no-store');
  });

  it('an unknown/revoked API token (401 UNAUTHENTICATED) carries no-store', async () => {
    const answer = await post(JSON.stringify({ query: '{ __typename }' }), { authorization: 'Bearer cmb_nosuchtoken_0000000000000000000000' });
    expect(answer.status).toBe(401);
    expect(answer.text).toMatch(/UNAUTHENTICATED|token/i);
    expect(answer.cacheControl).toBe('no-store');
  });

  it('a rate-limited request (429 RATE_LIMITED) carries no-store', async () => {
    const from = ip();
    let last = await post(JSON.stringify({ query: '{ __typename }' }), {}, from);
    for (let i = 0; i < 5 && last.status !== 429; i += 1) last = await post(JSON.stringify({ query: '{ __typename }' }), {}, from);
    expect(last.status).toBe(429);
    expect(last.text).toContain('RATE_LIMITED');
    expect(last.cacheControl).toBe('no-store');
  });

  it('a GET carrying a mutation (refused) carries no-store', async () => {
    const response = await fetch(`${base}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true', 'x-forwarded-for': ip(), authorization: `Bearer ${token}` },
    });
    await response.text();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });
});
