import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import {
  activitySeries,
  addEmailIdentity,
  createActivities,
  createMember,
  createRepository,
  type ActivityFields,
} from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { isBackgroundQuery } from '../helpers/query-count.js';
import { GraphqlClient } from './graphql-client.js';

describe('GraphQL DataLoaders (query counting)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  const queries: string[] = [];
  let counting = false;

  beforeAll(async () => {
    env = await createTestEnv();
    // the api's delivery relay queries Postgres every few seconds: keep its passes out of the count
    env.apply({ WEBHOOK_RELAY_EVERY_SECONDS: '3600' });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    const repositories = [await createRepository(db), await createRepository(db), await createRepository(db)];
    const activities: ActivityFields[] = [];
    for (let i = 0; i < 30; i += 1) {
      const member = await createMember(db, { login: `member-${String(i).padStart(2, '0')}` });
      await addEmailIdentity(db, member.memberId, `member${i}@example.org`);
      // a different count per member, spread over the repositories
      for (let r = 0; r < repositories.length; r += 1) {
        activities.push(...activitySeries(member, repositories[r], 1 + ((i + r) % 4), `2026-0${1 + r}-15T12:00:00Z`));
      }
    }
    await createActivities(db, activities);

    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    const dataSource = app.get(DataSource, { strict: false });
    dataSource.subscribers.push({
      beforeQuery: (event: { query: string }) => {
        if (counting && !isBackgroundQuery(event.query)) queries.push(event.query);
      },
    } as never);
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const PAGE = `query Page($first: Int) {
    members(first: $first) {
      edges { node {
        login
        identities { platform githubLogin }
        recentActivities(first: 3) { id type occurredAt repository { fullName } member { login } }
      } }
    }
  }`;

  async function countQueries(first: number): Promise<{ count: number; data: any }> {
    queries.length = 0;
    counting = true;
    try {
      const data = await client.data(PAGE, { first });
      return { count: queries.length, data };
    } finally {
      counting = false;
    }
  }

  it('runs the same number of SQL queries for a page of 20 members as for a page of 2', async () => {
    const small = await countQueries(2);
    const large = await countQueries(20);
    expect(large.data.members.edges).toHaveLength(20);
    expect(small.count).toBeGreaterThanOrEqual(3); // the counter sees the queries at all
    expect(large.count).toBe(small.count);
    // members page, identities, recent activities, their repositories, their members
    expect(large.count).toBeLessThanOrEqual(5);
  });

  it('still answers every nested field correctly when batched', async () => {
    const { data } = await countQueries(20);
    for (const { node } of data.members.edges) {
      expect(node.identities).toEqual([{ platform: 'GITHUB', githubLogin: node.login }]);
      expect(node.recentActivities).toHaveLength(3);
      for (const activity of node.recentActivities) expect(activity.member.login).toBe(node.login);
      const times = node.recentActivities.map((activity: any) => Date.parse(activity.occurredAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    }
  });
});
