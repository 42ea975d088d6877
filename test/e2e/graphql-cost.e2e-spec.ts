import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { MAX_QUERY_DEPTH } from '../../apps/api/src/graphql/document-limits.js';
import { MAX_QUERY_COST } from '../../apps/api/src/graphql/query-cost.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

/** `levels` nested member → recentActivities hops under a page of activities. */
function nested(levels: number, first: number): string {
  let inner = 'id';
  for (let level = 0; level < levels; level += 1) inner = `member { recentActivities(first: ${first}) { ${inner} } }`;
  return `{ activities(first: ${first}) { edges { node { ${inner} } } } }`;
}

describe('GraphQL query depth and cost limits (HTTP)', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let client: GraphqlClient;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  it('refuses, before running it, a nested page of pages that could load 10,000 rows per level', async () => {
    const response = await client.request(nested(2, 100));
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors?.[0].message).toContain(String(MAX_QUERY_COST));
  });

  it('refuses a query nested deeper than the limit even when every list asks for one item', async () => {
    const response = await client.request(nested(MAX_QUERY_DEPTH, 1));
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('counts fragments when measuring depth', async () => {
    const query = `
      fragment Hop on Member { recentActivities(first: 1) { member { recentActivities(first: 1) { member { recentActivities(first: 1) { member { recentActivities(first: 1) { member { recentActivities(first: 1) { id } } } } } } } } } }
      { activities(first: 1) { edges { node { member { ...Hop } } } } }`;
    const response = await client.request(query);
    expect(response.errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('refuses many aliases of large pages (the sum counts)', async () => {
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: members(first: 100) { edges { node { id login } } }`).join(' ');
    const response = await client.request(`{ ${aliases} }`);
    expect(response.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('judges a repeated document by its variables each time (an accepted operation is remembered with them)', async () => {
    const query = `query Nested($first: Int!) { activities(first: $first) { edges { node { member { recentActivities(first: $first) { id } } } } } }`;
    for (let round = 0; round < 2; round += 1) {
      const small = await client.request(query, { first: 5 });
      expect(small.errors).toBeUndefined();
      const large = await client.request(query, { first: 100 });
      expect(large.status).toBe(400);
      expect(large.errors?.[0].extensions?.code).toBe('QUERY_TOO_COMPLEX');
    }
    // a document accepted once is still refused when it is sent again among refused ones
    const deep = nested(MAX_QUERY_DEPTH, 1);
    expect((await client.request(nested(2, 1))).errors).toBeUndefined();
    expect((await client.request(deep)).errors?.[0].extensions?.code).toBe('QUERY_TOO_DEEP');
    expect((await client.request(nested(2, 1))).errors).toBeUndefined();
  });

  it('answers an ordinary page with nested recent activities', async () => {
    const response = await client.request(
      `{ members(first: 20) { totalCount edges { node { login recentActivities(first: 5) { type occurredAt } } } } }`,
    );
    expect(response.errors).toBeUndefined();
    expect(response.status).toBe(200);
  });
});
