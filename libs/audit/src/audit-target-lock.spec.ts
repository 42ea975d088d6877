import pg from 'pg';
import { DataSource } from 'typeorm';
import { databaseMilliseconds, newDatabaseTime, runWithRequestContext } from '#libs/observability';
import { TEST_SERVER_URL } from '../../../test/helpers/test-database.js';
import { AuditTargetLock } from './audit-target-lock.js';

describe('AuditTargetLock (Postgres)', () => {
  let lock: AuditTargetLock;
  let observer: pg.Client;

  beforeAll(async () => {
    // only its options are read: the lock keeps a small pool of its own
    lock = new AuditTargetLock(new DataSource({ type: 'postgres', url: TEST_SERVER_URL }));
    observer = new pg.Client({ connectionString: TEST_SERVER_URL });
    await observer.connect();
  });

  afterAll(async () => {
    await lock.onModuleDestroy();
    await observer.end();
  });

  it("counts the lock's statements, and its wait for the lock, in the request's database time", async () => {
    const holder = await lock.lock({ type: 'hackathon', id: 'timed-lock' } as never);
    const database = newDatabaseTime();
    const waited = runWithRequestContext({ requestId: 'audited', database }, async () => {
      const release = await lock.lock({ type: 'hackathon', id: 'TIMED-LOCK' } as never);
      await release();
    });
    // the second lock is seen waiting for the first; it waits at least until the first is released
    let seen = false;
    for (let polls = 0; polls < 500 && !seen; polls += 1) {
      const { rows } = await observer.query(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = 'cambrian-audit-lock' AND wait_event_type = 'Lock' AND query LIKE 'SELECT pg_advisory_lock%'`,
      );
      seen = rows.length > 0;
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seen).toBe(true);
    const seenWaiting = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const released = performance.now();
    await holder();
    await waited;
    // SET lock_timeout, pg_advisory_lock, pg_advisory_unlock; the lock's statement ran all the time it was seen waiting
    expect(database.queries).toBe(3);
    expect(databaseMilliseconds(database)).toBeGreaterThanOrEqual(released - seenWaiting);
  });
});
