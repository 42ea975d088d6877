import { IdentityService, MemberErasureService } from '#libs/members';
import { startDeliveryProcessing, type DeliveryProcessingHarness } from '../../../../test/helpers/delivery-processing-harness.js';

/** A member who asked for deletion: identity resolution stores none of their accounts again. */
const GONE = { id: 9_400_101, login: 'gone-author', type: 'User' };
/** Someone else, still here. */
const HERE = { id: 9_400_102, login: 'still-here', type: 'User' };
const repository = { id: 5101, name: 'r', full_name: 'o/r', owner: { login: 'o', id: 1 } };

/**
 * Deliveries about issues and pull requests that a deleted member's account opened or merged, after
 * the deletion: processed like the sync's pages of the same items (author or merger left out, the
 * activity credited to the anonymous member), never failing on the account's foreign key.
 */
describe('webhook deliveries naming an account whose member was deleted (Postgres)', () => {
  let harness: DeliveryProcessingHarness;

  beforeAll(async () => {
    harness = await startDeliveryProcessing();
    const identities = harness.app.get(IdentityService);
    const gone = await identities.resolve({ kind: 'github', account: { ...GONE, name: null } });
    await identities.resolve({ kind: 'github', account: { ...HERE, name: null } });
    await new MemberErasureService(harness.db).erase(gone!.memberId, `member:${gone!.memberId}`);
  });

  afterAll(async () => {
    await harness?.close();
  });

  const process = async (event: string, payload: unknown) => harness.service.process(await harness.store(event, payload), { finalAttempt: true });

  it('stores an issue the deleted account opened, without its author', async () => {
    const issue = { id: 77001, number: 1, title: 'Crash on load', state: 'open', user: GONE, labels: [], created_at: '2024-05-01T00:00:00Z', updated_at: '2024-05-01T00:00:00Z', closed_at: null };
    expect(await process('issues', { action: 'opened', issue, repository, sender: GONE })).toMatchObject({ status: 'processed' });
    expect(await harness.db.query(`SELECT number, author_account_id FROM issue WHERE id = 77001`)).toEqual([{ number: 1, author_account_id: null }]);
    const [{ n }] = await harness.db.query(`SELECT count(*)::int AS n FROM github_account WHERE id = $1`, [GONE.id]);
    expect(n).toBe(0);
  });

  it('stores a pull request the deleted account merged, with its living author and without the merger', async () => {
    const pull_request = {
      id: 77002,
      number: 2,
      title: 'Fix crash',
      state: 'closed',
      user: HERE,
      merged: true,
      merged_at: '2024-05-02T00:00:00Z',
      merged_by: GONE,
      head: { sha: 'b'.repeat(40), ref: 'fix' },
      base: { ref: 'main' },
      labels: [],
      created_at: '2024-05-01T12:00:00Z',
      updated_at: '2024-05-02T00:00:00Z',
      closed_at: '2024-05-02T00:00:00Z',
    };
    expect(await process('pull_request', { action: 'closed', number: 2, pull_request, repository, sender: GONE })).toMatchObject({ status: 'processed' });
    expect(await harness.db.query(`SELECT author_account_id::int AS author, merged_by_account_id AS merger, merged FROM pull_request WHERE id = 77002`)).toEqual([
      { author: HERE.id, merger: null, merged: true },
    ]);
  });
});
