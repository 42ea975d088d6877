import { DataSource } from 'typeorm';
import { AuditService } from '#libs/audit';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { IdentityService } from '../identity.service.js';
import { MemberErasureService } from './member-erasure.service.js';

/** A member whose GitHub login happens to be an ecosystem's slug (GitHub logins are free words). */
const WILLOW = { id: 9_500_901, login: 'Willow' };
const ADMIN = 'api-token:00000000-0000-4000-8000-000000000009';

/**
 * The audit log of changes to an ecosystem names it by its slug (`target_id`, `arguments.ecosystem`).
 * Deleting the personal data of a member whose login is the same word must leave the audit rows of
 * that ecosystem alone: they are not about the member, and rewriting them would lose who changed
 * which ecosystem (and point the row at the member instead).
 */
describe('member deletion and the audit rows of an object named like the member (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  let id: string;
  let written: Record<string, unknown>;
  const row = async () =>
    (await db.query(`SELECT target_type, target_id, arguments, before, after FROM audit_event WHERE id = $1`, [id]))[0] as Record<string, unknown>;

  beforeAll(async () => {
    const audit = new AuditService(db);
    id = await audit.begin({
      actor: ADMIN, actorRole: 'admin', requestId: 'r-eco', operation: 'addWebhookSecret',
      target: { type: 'ecosystem', id: 'willow' }, arguments: { ecosystem: 'willow', label: 'rotation' }, before: { ecosystem: 'willow', secrets: 1 },
    });
    await audit.complete(id, { status: 'ok', after: { ecosystem: 'willow', secrets: 2 } });
    written = await row();
    const willow = await new IdentityService(db).resolve({ kind: 'github', account: { id: WILLOW.id, login: WILLOW.login, type: 'User', name: null } });
    await new MemberErasureService(db).erase(willow!.memberId, `member:${willow!.memberId}`);
  });

  it("keeps the target of the ecosystem 'willow' rows: not the erased member's id", async () => {
    expect((await row()).target_id).toBe('willow');
  });

  it("keeps the arguments, before and after of the ecosystem 'willow' rows as written", async () => {
    const { arguments: args, before, after } = await row();
    expect({ args, before, after }).toEqual({ args: written.arguments, before: written.before, after: written.after });
  });
});
