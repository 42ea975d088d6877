import pg from 'pg';
import { VersionCounterShards1764900000200 } from '../../../../migrations/1764900000200-VersionCounterShards.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';

/**
 * Migration 1764900000200 (sharded version counters) against writers in flight: `leaderboard_version`
 * read as a plain table (as a reader of the previous release does) still moves with every commit, and
 * `down` folds in the bump of a writer that bumped its shard but had not committed yet.
 */
describe('version counter shards (migration 1764900000200, Postgres)', () => {
  let env: TestEnv;
  let pool: pg.Pool;
  const migration = new VersionCounterShards1764900000200();
  const version = async (counter = 'leaderboard_version') => Number((await pool.query(`SELECT version FROM ${counter}`)).rows[0].version);
  const addMember = (client: pg.Pool | pg.PoolClient, login: string) => client.query(`INSERT INTO member (kind, login) VALUES ('person', $1)`, [login]);

  beforeAll(async () => {
    env = await createTestEnv();
    pool = new pg.Pool({ connectionString: env.database.url, max: 4, options: env.database.options });
  });

  afterAll(async () => {
    await pool?.end();
    await env?.teardown();
  });

  it('keeps `SELECT version FROM leaderboard_version` moving with each committed write, once', async () => {
    const before = await version();
    await addMember(pool, 'shard-reader-1');
    await addMember(pool, 'shard-reader-2');
    expect(await version()).toBe(before + 2);
  });

  it('down counts a writer that bumped its shard and commits while down waits; up goes on from there', async () => {
    const writer = await pool.connect();
    const migrator = await pool.connect();
    try {
      const before = await version();
      await writer.query('BEGIN');
      await addMember(writer, 'shard-down-race');
      // the commit trigger runs now: the writer has bumped its shard and not committed
      await writer.query('SET CONSTRAINTS ALL IMMEDIATE');
      const migratorPid = (await migrator.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      await migrator.query('BEGIN');
      const down = migration.down({ query: (sql: string) => migrator.query(sql) } as never);
      // down waits for the writer (its LOCK TABLE); without that lock it would finish first and lose the bump
      for (let waited = 0; waited < 200; waited += 1) {
        const { rows } = await pool.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [migratorPid]);
        if (rows[0]?.wait_event_type === 'Lock') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await writer.query('COMMIT');
      await down;
      await migrator.query('COMMIT');
      expect(await version()).toBe(before + 1);
      await addMember(pool, 'shard-after-down');
      expect(await version()).toBe(before + 2);
      // and back up: the version goes on from where it stood, and still moves
      await migration.up({ query: (sql: string) => pool.query(sql) } as never);
      expect(await version()).toBe(before + 2);
      await addMember(pool, 'shard-after-up');
      expect(await version()).toBe(before + 3);
    } finally {
      writer.release();
      migrator.release();
    }
  });
});
