import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { IdentityService } from '#libs/members';
import type { DeliveryProcessingService } from './delivery-processing.service.js';
import { startDeliveryProcessing, type DeliveryProcessingHarness } from '../../../../test/helpers/delivery-processing-harness.js';

const SHA = 'a'.repeat(40);
const repository = { id: 5001, name: 'r', full_name: 'o/r', owner: { login: 'o', id: 1 } };

describe('DeliveryProcessingService (Postgres)', () => {
  let harness: DeliveryProcessingHarness;
  let app: INestApplicationContext;
  let service: DeliveryProcessingService;
  let db: DataSource;
  let store: DeliveryProcessingHarness['store'];

  beforeAll(async () => {
    harness = await startDeliveryProcessing();
    ({ app, service, db, store } = harness);
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** `promise`, or a rejection naming the wait when it has not settled within 10 s (a lock wait, say). */
  const withTimeout = <T>(promise: Promise<T>) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still waiting after 10 s')), 10_000).unref())]);

  const row = async (id: string) =>
    (await db.query(`SELECT status, attempts, error, processed_at IS NOT NULL AS done FROM webhook_delivery WHERE id = $1`, [id]))[0];

  it('I5: credits one member once per commit when a trailer names an address of the author’s own member', async () => {
    // member 4242 owns oak@river.example (GitHub linked it to the account)
    await app.get(IdentityService).resolve({
      kind: 'commit-author',
      account: { id: 4242, login: 'oak-river', type: 'User' },
      name: 'Oak River',
      email: 'oak@river.example',
    });
    const message = 'Fix parser edge case\n\nCo-authored-by: Oak River <oak@river.example>\nco-authored-by: Sam Second <sam@example.org>';
    const id = await store('push', {
      ref: 'refs/heads/main',
      repository,
      commits: [
        {
          id: SHA,
          distinct: true,
          message,
          timestamp: '2024-03-01T10:00:00+02:00',
          author: { name: 'Oak River', email: '4242+oak-river@users.noreply.github.com', username: 'oak-river' },
        },
      ],
    });
    // three rows are written; the co-author credit of the author's own address is stored set aside
    // (removed, marked as a duplicate credit) so that an unmerge can give it back
    expect(await service.process(id, { finalAttempt: false })).toEqual({ status: 'processed', activitiesInserted: 3 });
    const activities = await db.query(
      `SELECT a.source_key, a.occurred_at, m.login FROM activity a JOIN member m ON m.id = a.member_id
        WHERE a.repository_id = 5001 AND a.removed_at IS NULL ORDER BY 1`,
    );
    const setAside = await db.query(
      `SELECT source_key, facts ? 'duplicateCredit' AS duplicate FROM activity WHERE repository_id = 5001 AND removed_at IS NOT NULL`,
    );
    expect(setAside).toEqual([{ source_key: `commit:${SHA}:co:oak@river.example`, duplicate: true }]);
    expect(activities).toEqual([
      { source_key: `commit:${SHA}`, occurred_at: new Date('2024-03-01T08:00:00Z'), login: 'oak-river' },
      { source_key: `commit:${SHA}:co:sam@example.org`, occurred_at: new Date('2024-03-01T08:00:00Z'), login: null },
    ]);
  });

  it('records a failure on the row and rethrows; the final attempt marks the delivery failed', async () => {
    const pullRequest = (id: number) => ({
      action: 'opened',
      repository,
      pull_request: { id, number: 9, title: 't', state: 'open', user: { id: 7, login: 'u' }, created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' },
    });
    expect((await service.process(await store('pull_request', pullRequest(61)), { finalAttempt: false })).status).toBe('processed');
    // another pull request id with the same (repository, number): the unique constraint refuses it
    const broken = await store('pull_request', pullRequest(62));
    await expect(service.process(broken, { finalAttempt: false })).rejects.toThrow(/duplicate key/);
    expect(await row(broken)).toEqual({ status: 'received', attempts: 1, error: expect.stringMatching(/duplicate key/), done: false });
    await expect(service.process(broken, { finalAttempt: true })).rejects.toThrow(/duplicate key/);
    expect(await row(broken)).toEqual({ status: 'failed', attempts: 2, error: expect.stringMatching(/duplicate key/), done: false });
  });

  it('marks an unused event ignored, leaves a processed delivery alone, and reports a missing row', async () => {
    const id = await store('workflow_run', { action: 'completed', repository });
    expect(await service.process(id, { finalAttempt: false })).toEqual({ status: 'ignored', activitiesInserted: 0 });
    expect(await service.process(id, { finalAttempt: false })).toEqual({ status: 'already-done', activitiesInserted: 0 });
    expect(await row(id)).toEqual({ status: 'ignored', attempts: 1, error: null, done: true });
    expect(await service.process('987654321', { finalAttempt: false })).toEqual({ status: 'missing', activitiesInserted: 0 });
  });

  it('re-activates a star given again after it was removed', async () => {
    const star = (action: string) => ({ action, starred_at: action === 'created' ? '2024-02-01T00:00:00Z' : null, repository, sender: { id: 31, login: 's' } });
    await service.process(await store('star', star('created')), { finalAttempt: false });
    await service.process(await store('star', star('deleted')), { finalAttempt: false });
    const removed = await db.query(`SELECT removed_at IS NOT NULL AS removed FROM activity WHERE source_key = 'star:5001:31'`);
    await service.process(await store('star', star('created')), { finalAttempt: false });
    const again = await db.query(`SELECT removed_at IS NOT NULL AS removed FROM activity WHERE source_key = 'star:5001:31'`);
    expect([removed, again]).toEqual([[{ removed: true }], [{ removed: false }]]);
  });

  describe("a repository's state: the newest observation wins, whatever order deliveries are processed in", () => {
    const REPO = { id: 5002, name: 'counted', full_name: 'o/counted', owner: { login: 'o', id: 1 } };
    const state = async () =>
      (
        await db.query(
          `SELECT owner, name, stargazers_count AS stars, forks_count AS forks, is_archived AS archived, topics, default_branch AS branch,
                  state_observed_at AS observed, xmin::text AS version
           FROM repository WHERE id = $1`,
          [REPO.id],
        )
      )[0];
    const starred = (stars: number, extra: Record<string, unknown> = {}) => ({
      action: 'created',
      starred_at: '2024-03-01T00:00:00Z',
      repository: { ...REPO, stargazers_count: stars, forks_count: stars + 100, topics: [`t${stars}`], ...extra },
      sender: { id: 700 + stars, login: `fan-${stars}` },
    });

    it('keeps the newer counts, flags and topics when an older delivery is processed after a newer one', async () => {
      const older = await store('star', starred(10), '2024-03-01T10:00:00Z');
      const newer = await store('star', starred(12, { archived: true, default_branch: 'trunk' }), '2024-03-01T10:30:00Z');
      await service.process(newer, { finalAttempt: false });
      const afterNewer = await state();
      await service.process(older, { finalAttempt: false }); // a retry after an outage
      expect(await state()).toEqual(afterNewer);
      expect(afterNewer).toMatchObject({ stars: 12, forks: 112, archived: true, topics: ['t12'], branch: 'trunk', observed: new Date('2024-03-01T10:30:00Z') });
      // its own activity is still recorded
      const [star] = await db.query(`SELECT count(*)::int AS n FROM activity WHERE source_key = $1`, [`star:${REPO.id}:710`]);
      expect(star.n).toBe(1);
    });

    it('a later observation replaces the state; one that changes nothing writes no row version until the stored instant is a minute behind', async () => {
      await service.process(await store('star', starred(13), '2024-03-01T11:00:00Z'), { finalAttempt: false });
      const changed = await state();
      expect(changed).toMatchObject({ stars: 13, archived: false, observed: new Date('2024-03-01T11:00:00Z') });
      await service.process(await store('star', starred(13), '2024-03-01T11:00:30Z'), { finalAttempt: false });
      expect(await state()).toEqual(changed); // same state 30 s later: no write
      await service.process(await store('star', starred(13), '2024-03-01T11:05:00Z'), { finalAttempt: false });
      const advanced = await state();
      expect(advanced).toMatchObject({ stars: 13, observed: new Date('2024-03-01T11:05:00Z') });
      expect(advanced.version).not.toBe(changed.version);
      // older than the advanced instant: refused even though it is newer than the last change
      await service.process(await store('star', starred(9), '2024-03-01T11:02:00Z'), { finalAttempt: false });
      expect(await state()).toEqual(advanced);
    });

    it('a delivery that changes nothing takes no lock on the repository row (a transaction holding it does not delay it)', async () => {
      await service.process(await store('star', starred(14), '2024-03-01T12:00:00Z'), { finalAttempt: false });
      const unchanged = await store('star', { ...starred(14), sender: { id: 800, login: 'another-fan' } }, '2024-03-01T12:00:10Z');
      const changing = await store('star', starred(15), '2024-03-01T12:00:20Z');
      const holder = db.createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        await holder.query(`SELECT 1 FROM repository WHERE id = $1 FOR NO KEY UPDATE`, [REPO.id]); // as an UPDATE of it locks
        // INSERT ... ON CONFLICT DO UPDATE would wait here for the holder, however false its WHERE
        expect(await withTimeout(service.process(unchanged, { finalAttempt: false }))).toEqual({ status: 'processed', activitiesInserted: 1 });
        // a change does wait for the lock, and is written once it is released
        const waiting = service.process(changing, { finalAttempt: false });
        const settled = await Promise.race([waiting.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))]);
        expect(settled).toBe('waiting');
        await holder.commitTransaction();
        expect(await waiting).toEqual({ status: 'processed', activitiesInserted: 1 });
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
      expect(await state()).toMatchObject({ stars: 15, observed: new Date('2024-03-01T12:00:20Z') });
    });

    it('an old rename processed late does not undo a newer rename', async () => {
      const renamed = (name: string) => ({ action: 'renamed', changes: { repository: { name: { from: 'x' } } }, repository: { ...REPO, name, full_name: `o/${name}` }, sender: { id: 1, login: 'o' } });
      const first = await store('repository', renamed('first-name'), '2024-03-02T09:00:00Z');
      const second = await store('repository', renamed('second-name'), '2024-03-02T09:10:00Z');
      await service.process(second, { finalAttempt: false });
      await service.process(first, { finalAttempt: false });
      expect(await state()).toMatchObject({ owner: 'o', name: 'second-name' });
    });
  });
});
