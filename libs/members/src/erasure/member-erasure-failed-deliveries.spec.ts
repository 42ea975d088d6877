import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { IdentityService } from '../identity.service.js';
import { MemberErasureService } from './member-erasure.service.js';

/** The member whose data is deleted: nothing of this may stay in webhook_delivery afterwards. */
const ASH = { id: 9_300_701, login: 'Ash-Grove', email: 'ash@grove.example' };

/**
 * A webhook delivery whose processing failed on its last attempt keeps status `failed` (the worker
 * records the error and stops retrying; an admin may replay it). Its payload is the member's data as
 * much as a processed one's: a deletion must not leave it behind, nor may a delivery that was waiting
 * when the member was erased keep it by failing afterwards.
 */
describe('member deletion and failed webhook deliveries (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let erasure: MemberErasureService;
  let ashId: string;

  const payload = (n: number) =>
    JSON.stringify({
      action: 'created',
      comment: { id: n, body: 'looks good', user: { id: ASH.id, login: ASH.login } },
      sender: { id: ASH.id, login: ASH.login },
      commits: [{ author: { name: 'Ash', email: ASH.email } }],
    });

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    erasure = new MemberErasureService(db);
    const identities = new IdentityService(db);
    const ash = await identities.resolve({ kind: 'github', account: { id: ASH.id, login: ASH.login, type: 'User', name: null } });
    ashId = ash!.memberId;
    // failed before the deletion: the worker gave up on it
    await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, status, payload, attempts, error) VALUES ('failed-before', 'issue_comment', 'received', $1, 5, 'boom')`,
      [payload(1)],
    );
    await db.query(`UPDATE webhook_delivery SET status = 'failed' WHERE delivery_id = 'failed-before'`);
    // waiting when the deletion runs; its last attempt fails afterwards
    await db.query(`INSERT INTO webhook_delivery (delivery_id, event, status, payload) VALUES ('failed-after', 'issue_comment', 'received', $1)`, [payload(2)]);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it("leaves no failed delivery naming the erased member's login", async () => {
    await erasure.erase(ashId, `member:${ashId}`);
    await db.query(`UPDATE webhook_delivery SET status = 'failed', attempts = 5, error = 'boom' WHERE delivery_id = 'failed-after'`);
    const rows: Array<{ delivery_id: string }> = await db.query(
      `SELECT delivery_id FROM webhook_delivery WHERE strpos(lower(payload::text), lower($1)) > 0 ORDER BY delivery_id`,
      [ASH.login],
    );
    expect(rows.map((row) => row.delivery_id)).toEqual([]);
  });
});
