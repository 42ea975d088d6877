import pg from 'pg';
import { createActivities, createMember, createRepository, type CreatedMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { recordSyncGap, type RunQuery } from './sync-gap.js';

describe('recordSyncGap (Postgres)', () => {
  let env: TestEnv;
  let pool: pg.Pool;
  let query: RunQuery;
  let member: CreatedMember;
  let deliveries = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    pool = new pg.Pool({ connectionString: env.database.url, max: 2 });
    query = async (sql, params) => (await pool.query(sql, params)).rows;
    member = await createMember(pool);
  });

  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  const delivered = async (repositoryId: number, receivedAt: string) => {
    await pool.query(
      `INSERT INTO webhook_delivery (delivery_id, event, repository_id, received_at, payload, status)
       VALUES ($1, 'push', $2, $3, '{}'::json, 'processed')`,
      [`gap-test-${++deliveries}`, repositoryId, receivedAt],
    );
  };
  // a Date keeps milliseconds and Postgres microseconds: the start is the next whole millisecond, and the
  // clock is let past it, so rows written before it are before it and rows written after it are after it
  const syncStart = async (): Promise<Date> => {
    const [{ start }] = (await query(`SELECT date_trunc('milliseconds', clock_timestamp()) + interval '1 millisecond' AS start`, [])) as Array<{ start: Date }>;
    await query(`SELECT pg_sleep(0.002)`, []);
    return start;
  };
  const gapRows = async (repositoryId: number) =>
    (await pool.query(`SELECT resource, activities FROM sync_gap WHERE repository_id = $1`, [repositoryId])).rows;

  it('records the activities a sync inserted after the first webhook delivery of a repository that receives webhooks', async () => {
    const repositoryId = await createRepository(pool);
    await delivered(repositoryId, '2026-01-10T00:00:00Z');
    await delivered(repositoryId, '2026-02-01T00:00:00Z');
    // known before this sync: not a gap
    await createActivities(pool, [{ member, repositoryId, type: 'commit', occurredAt: '2026-01-20T00:00:00Z' }]);
    const since = await syncStart();
    const [beforeWebhooks, missedOld, missedNew, fromWebhook, otherType] = await createActivities(pool, [
      { member, repositoryId, type: 'commit', occurredAt: '2026-01-05T00:00:00Z' }, // before the first delivery
      { member, repositoryId, type: 'commit', occurredAt: '2026-01-15T00:00:00Z' },
      { member, repositoryId, type: 'commit', occurredAt: '2026-03-01T12:00:00Z' },
      { member, repositoryId, type: 'commit', occurredAt: '2026-03-02T00:00:00Z' },
      { member, repositoryId, type: 'star', occurredAt: '2026-03-03T00:00:00Z' }, // another resource's type
    ]);
    expect([beforeWebhooks, missedOld, missedNew, otherType]).toHaveLength(4);
    await pool.query(`UPDATE activity SET source = 'webhook' WHERE id = $1`, [fromWebhook]);

    const gap = await recordSyncGap(query, { repositoryId, resource: 'commits', since });

    expect(gap).toEqual(
      expect.objectContaining({
        repositoryId,
        resource: 'commits',
        activities: 2,
        oldestOccurredAt: new Date('2026-01-15T00:00:00Z'),
        newestOccurredAt: new Date('2026-03-01T12:00:00Z'),
      }),
    );
    expect(await gapRows(repositoryId)).toEqual([{ resource: 'commits', activities: 2 }]);
  });

  it('records nothing for a repository that never had a webhook delivery', async () => {
    const repositoryId = await createRepository(pool);
    const since = await syncStart();
    await createActivities(pool, [{ member, repositoryId, type: 'commit', occurredAt: '2026-03-01T00:00:00Z' }]);

    await expect(recordSyncGap(query, { repositoryId, resource: 'commits', since })).resolves.toBeNull();
    expect(await gapRows(repositoryId)).toEqual([]);
  });

  it('records nothing when the sync inserted nothing new, or for a resource without activities', async () => {
    const repositoryId = await createRepository(pool);
    await delivered(repositoryId, '2026-01-01T00:00:00Z');
    await createActivities(pool, [{ member, repositoryId, type: 'commit', occurredAt: '2026-03-01T00:00:00Z' }]);
    const since = await syncStart();

    await expect(recordSyncGap(query, { repositoryId, resource: 'commits', since })).resolves.toBeNull();
    await expect(recordSyncGap(query, { repositoryId, resource: 'labels', since })).resolves.toBeNull();
    expect(await gapRows(repositoryId)).toEqual([]);
  });
});
