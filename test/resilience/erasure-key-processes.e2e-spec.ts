import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { issueOpenedPayload, postDelivery, startApiAndWorkerOnTestDatabase, until, type ApiAndWorkerOnTestDatabase } from './resilience-processes.js';

/**
 * The compiled processes decrypt the erasure hash key at start and give it to their connections
 * (issue 8, security; migration 1764900000160): the api's deletion hashes the member's identities,
 * and the worker's write of a later delivery naming the deleted account is made anonymous by the
 * trigger. A connection without the key would fail both (erasure_key_hash raises).
 */
describe('the erasure hash key in the compiled api, worker and CLI', () => {
  let apps: ApiAndWorkerOnTestDatabase | undefined;
  let db: pg.Pool;
  let url: string;
  let adminToken: string;

  const statusOf = async (delivery: string) =>
    (await db.query(`SELECT status, error, payload::text AS payload FROM webhook_delivery WHERE delivery_id = $1`, [delivery])).rows[0] as
      | { status: string; error: string | null; payload: string }
      | undefined;
  const processed = (delivery: string) =>
    until(async () => {
      const row = await statusOf(delivery);
      return row && row.status !== 'received' && row.status !== 'processing' ? row : undefined;
    }, `delivery ${delivery} done`);

  beforeAll(async () => {
    // the test reads only: its pool has no key
    apps = await startApiAndWorkerOnTestDatabase({}, 'erasure key admin');
    ({ db, url, adminToken } = apps);
  }, 300_000);

  afterAll(async () => {
    await apps?.stop();
  });

  it('deletes a member through the api, and the worker stores a later delivery naming them without their data', async () => {
    const payload = issueOpenedPayload(1);
    const account = payload.issue.user as { id: number; login: string };
    const first = randomUUID();
    expect((await postDelivery(url, first, payload)).status).toBe(202);
    expect((await processed(first)).status).toBe('processed');
    const [{ member_id: memberId }] = (await db.query(`SELECT member_id FROM identity WHERE platform = 'github' AND key = $1`, [String(account.id)])).rows;

    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ query: `mutation($id: ID!) { requestMemberDeletion(memberId: $id) { memberId alreadyDeleted } }`, variables: { id: memberId } }),
    });
    const answer = (await response.json()) as { data?: { requestMemberDeletion: { memberId: string; alreadyDeleted: boolean } }; errors?: unknown };
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.requestMemberDeletion.alreadyDeleted).toBe(false);
    expect((await db.query(`SELECT count(*)::int AS n FROM erasure_suppression WHERE member_id = $1`, [answer.data!.requestMemberDeletion.memberId])).rows[0].n).toBeGreaterThan(0);

    // another account opens an issue assigned to the deleted one: the worker resolves the author (a
    // suppression check) and marks the delivery processed through the trigger that hashes its logins
    const later = issueOpenedPayload(2);
    const other = { ...later.issue.user, id: account.id + 1, login: 'Octo-Other', node_id: 'U_other' };
    later.issue.user = other;
    later.sender = other;
    later.issue.assignee = { ...account };
    later.issue.assignees = [{ ...account }];
    const second = randomUUID();
    expect((await postDelivery(url, second, later)).status).toBe(202);
    const row = await processed(second);
    expect(row).toMatchObject({ status: 'processed', error: null });
    expect(row.payload).not.toContain(account.login);
    expect(JSON.parse(row.payload)).toEqual({ removed: 'personal data deleted' });
  }, 120_000);
});
