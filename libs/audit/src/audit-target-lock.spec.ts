import { DataSource } from 'typeorm';
import { databaseMilliseconds, newDatabaseTime, runWithRequestContext } from '#libs/observability';
import { TEST_SERVER_URL } from '../../../test/helpers/test-database.js';
import { AuditTargetLock } from './audit-target-lock.js';

describe('AuditTargetLock (Postgres)', () => {
  let lock: AuditTargetLock;

  beforeAll(() => {
    // only its options are read: the lock keeps a small pool of its own
    lock = new AuditTargetLock(new DataSource({ type: 'postgres', url: TEST_SERVER_URL }));
  });

  afterAll(async () => {
    await lock.onModuleDestroy();
  });

  it("counts the lock's statements, and its wait for the lock, in the request's database time", async () => {
    const holder = await lock.lock({ type: 'hackathon', id: 'timed-lock' } as never);
    const database = newDatabaseTime();
    const waited = runWithRequestContext({ requestId: 'audited', database }, async () => {
      const release = await lock.lock({ type: 'hackathon', id: 'TIMED-LOCK' } as never);
      await release();
    });
    // the second lock waits for the first to be released
    await new Promise((resolve) => setTimeout(resolve, 30));
    await holder();
    await waited;
    // SET lock_timeout, pg_advisory_lock (which waited at least 30 ms), pg_advisory_unlock
    expect(database.queries).toBe(3);
    expect(databaseMilliseconds(database)).toBeGreaterThanOrEqual(30);
  });
});
