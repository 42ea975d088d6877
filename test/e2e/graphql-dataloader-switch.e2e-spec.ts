import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { activitySeries, createActivities, createMember, createRepository, type ActivityFields } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { isBackgroundQuery } from '../helpers/query-count.js';
import { GraphqlClient } from './graphql-client.js';

/**
 * GRAPHQL_DATALOADERS=off (the switch the members benchmark measures DataLoader with): the same
 * answers, one query per key instead of one per field.
 */
describe('GraphQL with DataLoaders switched off (GRAPHQL_DATALOADERS)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  const apps: NestFastifyApplication[] = [];

  const BOARD = `{ leaderboard(first: 12, period: { preset: ALL_TIME }) {
    entries { rank member { login identities { platform githubLogin } recentActivities(first: 2) { type repository { fullName } } } }
  } }`;

  async function start(mode: 'on' | 'off'): Promise<{ client: GraphqlClient; queries: string[] }> {
    // the api's delivery relay queries Postgres every few seconds: keep its passes out of the count
    env.apply({ GRAPHQL_DATALOADERS: mode, WEBHOOK_RELAY_EVERY_SECONDS: '3600' });
    const app = await createApiApp({ logger: false });
    apps.push(app);
    const client = await GraphqlClient.listen(app);
    const queries: string[] = [];
    app.get(DataSource, { strict: false }).subscribers.push({ beforeQuery: (event: { query: string }) => (isBackgroundQuery(event.query) ? undefined : queries.push(event.query)) } as never);
    return { client, queries };
  }

  beforeAll(async () => {
    env = await createTestEnv();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    const repositories = [await createRepository(db), await createRepository(db)];
    const activities: ActivityFields[] = [];
    for (let i = 0; i < 12; i += 1) {
      const member = await createMember(db, { login: `switch-${String(i).padStart(2, '0')}` });
      activities.push(...activitySeries(member, repositories[i % 2], 1 + i, '2026-01-15T12:00:00Z'));
    }
    await createActivities(db, activities);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.end();
    await env?.teardown();
  });

  it('answers the same with one query per member instead of one per field', async () => {
    const on = await start('on');
    const off = await start('off');
    on.queries.length = 0;
    const batched = await on.client.data(BOARD);
    const batchedQueries = on.queries.length;
    off.queries.length = 0;
    const unbatched = await off.client.data(BOARD);
    expect(unbatched).toEqual(batched);
    expect(batched.leaderboard.entries).toHaveLength(12);
    // on: leaderboard, identities, recent activities, repositories; off: one per member for each nested field
    expect(batchedQueries).toBeLessThanOrEqual(5);
    expect(off.queries.length).toBeGreaterThanOrEqual(1 + 12 + 12 + 12);
  });
});
