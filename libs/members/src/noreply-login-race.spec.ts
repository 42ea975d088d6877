import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../test/helpers/test-env.js';
import { BulkIdentityResolver } from './bulk-identity-resolver.js';
import { MemberErasureService } from './erasure/member-erasure.service.js';
import { IdentityService } from './identity.service.js';
import type { ActorRef } from './identity.types.js';

const account = (id: number, login: string): ActorRef => ({ kind: 'github', account: { id, login, type: 'User', name: null } });
const address = (login: string): ActorRef => ({ kind: 'commit-author', account: null, name: `${login} git`, email: `${login}@users.noreply.github.com` });

describe('login-only noreply addresses under races and erasure (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { max: 20, options: env.database.options } }).initialize();
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it('gives one member per login when address and account arrive at once through both resolvers', async () => {
    const logins = Array.from({ length: 12 }, (_, index) => ({ id: 7_200_000 + index, login: `Race-${index}` }));
    await Promise.all(
      logins.flatMap(({ id, login }, index) => [
        new IdentityService(db).resolve(address(index % 2 ? login.toLowerCase() : login)),
        new IdentityService(db).resolve(account(id, login)),
        new BulkIdentityResolver(db).resolveMany([address(login.toUpperCase()), account(id, login)]),
        new BulkIdentityResolver(db).resolveMany([account(id, login), address(login)]),
      ]),
    );
    for (const { id, login } of logins) {
      const members: Array<{ member_id: string }> = await db.query(
        `SELECT DISTINCT member_id FROM identity WHERE (platform = 'github' AND key = $1) OR (platform = 'email' AND key = $2)`,
        [String(id), `${login.toLowerCase()}@users.noreply.github.com`],
      );
      expect([login, members.length]).toEqual([login, 1]);
    }
  });

  it("does not give an erased member's login-only noreply address a new member of its own", async () => {
    const birch = await new IdentityService(db).resolve(account(7_300_001, 'Birch-Erased'));
    await new MemberErasureService(db).erase(birch!.memberId, `member:${birch!.memberId}`);
    const serial = await new IdentityService(db).resolve(address('birch-erased'));
    const bulk = await new BulkIdentityResolver(db).resolveMany([address('Birch-Erased')]);
    const stored: unknown[] = await db.query(`SELECT key FROM identity WHERE platform = 'email' AND key = 'birch-erased@users.noreply.github.com'`);
    expect({ serial: serial?.memberId, bulk: bulk[0]?.memberId, stored }).toEqual({ serial: birch!.memberId, bulk: birch!.memberId, stored: [] });
  });
});
