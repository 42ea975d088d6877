import type { DataSource } from 'typeorm';
import { identityState as state, useTestDatabases } from '../../../test/helpers/identity-state.js';
import { BulkIdentityResolver } from './bulk-identity-resolver.js';
import { IdentityService } from './identity.service.js';
import type { ActorRef } from './identity.types.js';

const account = (id: number, login: string): ActorRef => ({ kind: 'github', account: { id, login, type: 'User', name: `${login} name` } });
const address = (login: string): ActorRef => ({ kind: 'commit-author', account: null, name: `${login} git`, email: `${login}@users.noreply.github.com` });

/**
 * A login-only noreply address and the account holding its login (case I3 (b); noreply-login.ts):
 * the same identities and members whichever arrives first, through either resolver, and one member
 * when they arrive at once (the sync of several repositories, webhooks: the order is not ours).
 */
describe('login-only noreply addresses: order-independent (Postgres)', () => {
  const dbs = useTestDatabases(4);

  it('gives the same identities and members in either order, serial or bulk', async () => {
    const actors = { address: address('Sahar-Like'), account: account(1914, 'sahar-like') };
    const orders: Array<{ resolve: (db: DataSource, actor: ActorRef) => Promise<unknown>; first: keyof typeof actors }> = [
      { resolve: (db, actor) => new IdentityService(db).resolve(actor), first: 'address' },
      { resolve: (db, actor) => new IdentityService(db).resolve(actor), first: 'account' },
      { resolve: (db, actor) => new BulkIdentityResolver(db).resolveMany([actor]), first: 'address' },
      { resolve: (db, actor) => new BulkIdentityResolver(db).resolveMany([actor]), first: 'account' },
    ];
    const states = [];
    for (const [index, { resolve, first }] of orders.entries()) {
      const db = dbs[index];
      await resolve(db, actors[first]);
      await resolve(db, actors[first === 'address' ? 'account' : 'address']);
      // seen again later: nothing changes
      await resolve(db, actors.address);
      states.push(await state(db));
    }
    expect(states[0]).toEqual([
      {
        identity: 'email:sahar-like@users.noreply.github.com',
        evidence: 'login',
        display_name: 'Sahar-Like git',
        member: 'email:sahar-like@users.noreply.github.com',
        kind: 'person',
        login: 'sahar-like',
        member_name: 'sahar-like name',
      },
      {
        identity: 'github:1914',
        evidence: 'self',
        display_name: 'sahar-like name',
        member: 'email:sahar-like@users.noreply.github.com',
        kind: 'person',
        login: 'sahar-like',
        member_name: 'sahar-like name',
      },
    ]);
    for (const other of states.slice(1)) expect(other).toEqual(states[0]);
    // the member answers why: the address is inferred from the login
    const [row] = await dbs[0].query(`SELECT count(DISTINCT member_id)::int AS members FROM identity`);
    expect(row.members).toBe(1);
  });

  it('makes one member when the address and the account are resolved at once', async () => {
    const db = dbs[0];
    const logins = Array.from({ length: 20 }, (_, i) => `racing-login-${i}`);
    await Promise.all(
      logins.map((login, i) =>
        i % 2 === 0
          ? Promise.all([new IdentityService(db).resolve(address(login)), new BulkIdentityResolver(db).resolveMany([account(50_000 + i, login)])])
          : Promise.all([new BulkIdentityResolver(db).resolveMany([address(login)]), new IdentityService(db).resolve(account(50_000 + i, login))]),
      ),
    );
    const split: Array<{ login: string }> = await db.query(
      `SELECT a.login FROM github_account a JOIN identity i ON i.platform = 'email' AND i.key = lower(a.login) || '@users.noreply.github.com'
        WHERE a.login LIKE 'racing-login-%' AND i.member_id <> a.member_id`,
    );
    expect(split).toEqual([]);
    const [{ joined }] = await db.query(
      `SELECT count(*)::int AS joined FROM identity WHERE platform = 'email' AND key LIKE 'racing-login-%' AND evidence = 'login'`,
    );
    expect(joined).toBe(logins.length);
  });

  it('leaves an address alone when its member holds more than the address (as an admin merge leaves it)', async () => {
    const db = dbs[1];
    const identities = new IdentityService(db);
    const lone = await identities.resolve(address('kept-apart'));
    const other = await identities.resolve({ kind: 'commit-author', account: null, name: 'K', email: 'kept@apart.example' });
    // another identity in the address's member (as an admin's merge leaves it): the account gets a member of its own
    await db.query(`UPDATE identity SET member_id = $1 WHERE id = $2`, [lone!.memberId, other!.identityId]);
    const joined = await identities.resolve(account(60_001, 'kept-apart'));
    expect(joined!.memberId).not.toBe(lone!.memberId);
    expect(await db.query(`SELECT evidence FROM identity WHERE id = $1`, [lone!.identityId])).toEqual([{ evidence: 'self' }]);
  });
});
