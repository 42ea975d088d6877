import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * The api as production runs it (NODE_ENV=production): no introspection, no landing page, no
 * schema hints in errors, no internals in an unexpected error, HSTS.
 */
describe('api protection in production mode', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  const logLines: string[] = [];

  const graphql = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
  };

  beforeAll(async () => {
    env = await createTestEnv();
    // production needs a key of its own: the erasure hash key is stored sealed under it
    const secretsKey = randomBytes(32).toString('base64');
    await env.database.sealErasureKeyUnder(secretsKey);
    env.apply({ NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'production-test-secret', LOG_LEVEL: 'error', CAMBRIAN_SECRETS_KEY: secretsKey });
    app = await createApiApp({ logDestination: { write: (line: string) => void logLines.push(line) } });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    process.env.NODE_ENV = 'test';
    delete process.env.CAMBRIAN_SECRETS_KEY;
    await env?.teardown();
  });

  it.each([
    ['__schema', '{ __schema { queryType { name } } }'],
    ['__type', '{ __type(name: "Member") { fields { name } } }'],
  ])('refuses introspection (%s) with 400', async (_name, query) => {
    const answer = await graphql(query);
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.body.errors?.[0].message).toMatch(/introspection is not allowed/);
  });

  it('still answers __typename', async () => {
    expect((await graphql('{ __typename }')).body).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves no landing page', async () => {
    const response = await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await response.text()).not.toMatch(/graphiql|<html/i);
  });

  it('gives no "Did you mean" hints that would spell out the schema', async () => {
    const answer = await graphql('{ membrs(frist: 1) { totalCount } }');
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0].message).toBe('Cannot query field "membrs" on type "Query".');
    expect(answer.text).not.toMatch(/Did you mean/);
  });

  it('answers an unexpected error as INTERNAL_SERVER_ERROR with the request id only, and logs the internals under that id', async () => {
    const db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    try {
      await db.query('ALTER TABLE hackathon RENAME TO hackathon_away'); // the next read fails in Postgres
    } finally {
      await db.end();
    }
    const answer = await graphql('{ hackathons(first: 5) { totalCount } }', { 'x-request-id': 'production-check-1' });
    expect(answer.body.errors).toEqual([
      { message: 'Internal server error', path: ['hackathons'], locations: expect.any(Array), extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'production-check-1' } },
    ]);
    expect(answer.headers.get('x-request-id')).toBe('production-check-1');
    // no SQL, no Postgres message, no file path, no stack
    expect(answer.text).not.toMatch(/hackathon"|relation|SELECT|QueryFailed|\.ts\b|\.js\b|\/work\/|node_modules|\bat \w/i);
    const logged = logLines.find((line) => line.includes('production-check-1') && line.includes('relation'));
    expect(logged).toBeDefined();
  });

  it('sends Strict-Transport-Security', async () => {
    const response = await fetch(`${url}/health/live`);
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });
});
