import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../test/helpers/test-env.js';
import { BulkIdentityResolver } from './bulk-identity-resolver.js';
import { IdentityService } from './identity.service.js';
import type { ActorRef } from './identity.types.js';

const account = (id: number, login: string): ActorRef => ({ kind: 'github', account: { id, login, type: 'User', name: null } });
const address = (login: string): ActorRef => ({ kind: 'commit-author', account: null, name: `${login} git`, email: `${login}@users.noreply.github.com` });

/** Members of the GitHub identities of these account ids. */
async function membersOfAccounts(db: DataSource, ids: number[]): Promise<string[]> {
  const rows: Array<{ member_id: string }> = await db.query(
    `SELECT DISTINCT member_id FROM identity WHERE platform = 'github' AND key = ANY($1::text[])`,
    [ids.map(String)],
  );
  return rows.map((row) => row.member_id);
}

/**
 * Two accounts that held one login (GitHub releases a login on rename; someone else takes it) may
 * arrive in one batch once the login's noreply address is stored: only one of them can be the
 * address's account, as one after the other through the serial resolver.
 */
describe('login-only noreply address and two accounts of its login (Postgres)', () => {
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

  it.each([
    { name: 'first-hand (webhooks)', historicalLogins: false, ids: [7_100_001, 7_100_002], login: 'reused-one' },
    { name: 'historical (GH Archive)', historicalLogins: true, ids: [7_100_003, 7_100_004], login: 'reused-two' },
  ])('never puts both accounts into the address member, bulk $name', async ({ historicalLogins, ids, login }) => {
    await new IdentityService(db).resolve(address(login));
    await new BulkIdentityResolver(db, { historicalLogins }).resolveMany(ids.map((id) => account(id, login)));
    expect(await membersOfAccounts(db, ids)).toHaveLength(2);
  });

  it('never puts both accounts into the address member, serial', async () => {
    const ids = [7_100_005, 7_100_006];
    await new IdentityService(db).resolve(address('reused-three'));
    for (const id of ids) await new IdentityService(db).resolve(account(id, 'reused-three'));
    expect(await membersOfAccounts(db, ids)).toHaveLength(2);
  });
});
