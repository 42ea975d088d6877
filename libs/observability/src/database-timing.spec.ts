import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { TEST_SERVER_URL } from '../../../test/helpers/test-database.js';
import { databaseMilliseconds, newDatabaseTime, TimedPgClient } from './database-timing.js';
import { runWithRequestContext, type DatabaseTime } from './request-context.js';

describe('TimedPgClient (Postgres)', () => {
  let pool: pg.Pool;

  beforeAll(() => {
    pool = new pg.Pool({ connectionString: TEST_SERVER_URL, max: 3, Client: TimedPgClient });
  });

  afterAll(async () => {
    await pool.end();
  });

  const inRequest = <T>(fn: (time: DatabaseTime) => Promise<T>) => {
    const database = newDatabaseTime();
    return runWithRequestContext({ requestId: 'timing', database }, () => fn(database));
  };

  it('adds each statement of a request, with its wall time, to the request context', async () => {
    const time = await inRequest(async (database) => {
      const started = performance.now();
      // pg.Pool's query (the callback form underneath), then a checked-out client's (the promise form, as TypeORM's)
      const { rows } = await pool.query(`SELECT pg_sleep(0.05), 7 AS seven`);
      expect(rows[0].seven).toBe(7);
      const client = await pool.connect();
      try {
        await client.query('SELECT $1::int AS n', [1]);
      } finally {
        client.release();
      }
      expect(database.milliseconds).toBeLessThanOrEqual(performance.now() - started);
      return database;
    });
    expect(time.queries).toBe(2);
    expect(time.milliseconds).toBeGreaterThanOrEqual(50);
  });

  it('counts a failing statement too, and its error still reaches the caller', async () => {
    const time = await inRequest(async (database) => {
      await expect(pool.query('SELECT no_such_column FROM pg_class')).rejects.toThrow(/no_such_column/);
      return database;
    });
    expect(time.queries).toBe(1);
    expect(time.milliseconds).toBeGreaterThan(0);
  });

  it('counts statements that run at once on different connections, their overlapping time once', async () => {
    let elapsed = 0;
    const time = await inRequest(async (database) => {
      const started = performance.now();
      await Promise.all([pool.query('SELECT pg_sleep(0.03)'), pool.query('SELECT pg_sleep(0.03)'), pool.query('SELECT pg_sleep(0.03)')]);
      elapsed = performance.now() - started;
      return database;
    });
    expect(time.queries).toBe(3);
    expect(time.running).toBe(0);
    expect(time.milliseconds).toBeGreaterThanOrEqual(30);
    // never more than the request's own time (summed, the three would be at least 90 ms)
    expect(time.milliseconds).toBeLessThanOrEqual(elapsed);
  });

  it('counts a statement still running at the time it is read up to that moment', async () => {
    await inRequest(async (database) => {
      const running = pool.query('SELECT pg_sleep(0.04)');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(database.running).toBe(1);
      const midway = databaseMilliseconds(database);
      expect(midway).toBeGreaterThan(0);
      await running;
      expect(databaseMilliseconds(database)).toBeGreaterThanOrEqual(midway);
      expect(database.queries).toBe(1);
    });
  });

  it('keeps requests apart, and times nothing outside one', async () => {
    const [a, b] = await Promise.all([
      inRequest(async (database) => {
        await pool.query('SELECT 1');
        return database;
      }),
      inRequest(async (database) => {
        await pool.query('SELECT 1');
        await pool.query('SELECT 2');
        return database;
      }),
    ]);
    expect([a.queries, b.queries]).toEqual([1, 2]);
    const outside = runWithRequestContext({ requestId: 'untimed' }, () => pool.query('SELECT 3 AS three'));
    expect((await outside).rows[0].three).toBe(3);
    expect((await pool.query('SELECT 4 AS four')).rows[0].four).toBe(4);
  });

  it('times a config object carrying its own callback', async () => {
    const client = await pool.connect();
    try {
      const time = await inRequest(
        (database) =>
          new Promise<DatabaseTime>((resolve, reject) => {
            client.query({
              text: 'SELECT $1::int AS six',
              values: [6],
              callback: (error: Error | null, result: pg.QueryResult) => {
                if (error) return reject(error);
                expect(result.rows[0].six).toBe(6);
                resolve(database);
              },
            } as pg.QueryConfig);
          }),
      );
      expect(time.queries).toBe(1);
    } finally {
      client.release();
    }
  });

  it('times the callback form too, and calls the callback as node-postgres does', async () => {
    const client = await pool.connect();
    try {
      const time = await inRequest(
        (database) =>
          new Promise<DatabaseTime>((resolve, reject) => {
            const returned = client.query('SELECT 5 AS five', (error: Error | null, result: pg.QueryResult) => {
              if (error) return reject(error);
              expect(result.rows[0].five).toBe(5);
              resolve(database);
            });
            expect(returned).toBeUndefined();
          }),
      );
      expect(time.queries).toBe(1);
    } finally {
      client.release();
    }
  });

  it('leaves a submittable (COPY) untimed and working', async () => {
    const client = await pool.connect();
    try {
      const { time, rows } = await inRequest(async (database) => {
        await client.query('CREATE TEMP TABLE copied (n int)');
        await pipeline(Readable.from(['1\n2\n3\n']), client.query(copyFrom('COPY copied (n) FROM STDIN')));
        const counted = await client.query('SELECT count(*)::int AS n FROM copied');
        return { time: { ...database }, rows: counted.rows };
      });
      expect(rows[0].n).toBe(3);
      // the CREATE and the count; the COPY itself is not a timed statement
      expect(time.queries).toBe(2);
    } finally {
      client.release(true);
    }
  });
});
