import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../test/helpers/test-env.js';
import { BulkIdentityResolver } from './bulk-identity-resolver.js';
import { IdentityService } from './identity.service.js';
import type { ActorRef, ResolvedIdentity } from './identity.types.js';

const gh = (id: number, login: string, type: string | null = 'User'): ActorRef => ({ kind: 'github', account: { id, login, type } });
const author = (email: string | null, name: string | null = 'Someone', account: ActorRef['account'] = null): ActorRef => ({ kind: 'commit-author', account, name, email });

/** Batches resolved in order; the second sees what the first stored (renames, lookups, linked e-mails). */
const BATCHES: ActorRef[][] = [
  [
    gh(101, 'alice'),
    { kind: 'github', account: null },
    gh(10137, 'ghost'),
    gh(202, 'helper[bot]', 'Bot'),
    gh(203, 'renovate-bot', null),
    author('Carol@Example.org', 'Carol'),
    author('carol@example.org', 'Carol C'),
    author('101+alice@users.noreply.github.com', 'Alice'),
    author('303+dan@users.noreply.github.com', 'Dan'),
    author(null, 'Nobody'),
    author('erin@corp.example', 'Erin', { id: 404, login: 'erin', type: 'User' }),
    author('d95b56ce41a2e1ac4cecdd398defd7414407cc08@review.openstack.org', 'Jenkins'),
    author('action@github.com', 'GitHub Action'),
    author('github-actions[bot]@users.noreply.github.com', 'github-actions[bot]'),
    author('renovate@whitesourcesoftware.com', 'Renovate Bot'),
    author('999+zed@users.noreply.github.com', 'Zed', { id: 998, login: 'zed-api', type: 'User' }),
  ],
  [
    gh(101, 'alice2'),
    author('erin@corp.example', 'Erin E'),
    author('nobody-known@users.noreply.github.com', 'Ghost Writer'),
    gh(505, 'frank'),
    author('carol@example.org', 'Carol', { id: 606, login: 'carol', type: 'User' }),
    author('Alice', 'Alice'),
    { kind: 'github', account: null },
  ],
  [author('ALICE2@users.noreply.github.com', 'Alice'), author('late-holder@users.noreply.github.com', 'Late')],
  // the login's account after its address: it joins the address's member; both in one batch: one member
  [gh(808, 'Late-Holder'), author('together@users.noreply.github.com', 'T'), gh(909, 'together')],
];

interface Outcome {
  identity: string;
  evidence: string;
  memberKind: string;
  memberLogin: string | null;
  memberIdentities: string[];
}

async function describeResults(db: DataSource, results: Array<ResolvedIdentity | null>): Promise<Array<Outcome | null>> {
  const out: Array<Outcome | null> = [];
  for (const result of results) {
    if (!result) {
      out.push(null);
      continue;
    }
    const [row] = await db.query(
      `SELECT i.platform || ':' || i.key AS identity, i.evidence, m.kind, m.login,
              (SELECT array_agg(o.platform || ':' || o.key ORDER BY o.platform, o.key) FROM identity o WHERE o.member_id = m.id) AS identities
       FROM identity i JOIN member m ON m.id = i.member_id WHERE i.id = $1 AND m.id = $2`,
      [result.identityId, result.memberId],
    );
    out.push({ identity: row.identity, evidence: row.evidence, memberKind: row.kind, memberLogin: row.login, memberIdentities: row.identities });
  }
  return out;
}

const accounts = (db: DataSource) =>
  db.query(
    `SELECT a.id::int, a.login, a.type, (SELECT array_agg(i.platform || ':' || i.key ORDER BY i.platform, i.key) FROM identity i WHERE i.member_id = a.member_id) AS member_identities
     FROM github_account a ORDER BY a.id`,
  );

describe('BulkIdentityResolver (Postgres): the same identities and members as IdentityService', () => {
  let envs: TestEnv[];
  let serial: DataSource;
  let bulk: DataSource;

  beforeAll(async () => {
    envs = [await createTestEnv(), await createTestEnv()];
    [serial, bulk] = await Promise.all(envs.map((env) => new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize()));
  });

  afterAll(async () => {
    await Promise.all([serial, bulk].map((db) => db?.destroy()));
    for (const env of envs ?? []) await env.teardown();
  });

  it('resolves accounts by id, renames, deleted users, bots, noreply and plain e-mail addresses alike', async () => {
    const identities = new IdentityService(serial);
    const resolver = new BulkIdentityResolver(bulk);
    const outcomes: Array<Array<Outcome | null>> = [];
    for (const batch of BATCHES) {
      const expected = await describeResults(serial, await identities.resolveMany(batch));
      const actual = await describeResults(bulk, await resolver.resolveMany(batch));
      expect(actual).toEqual(expected);
      outcomes.push(actual);
    }
    // the cases the batches are there for
    expect(outcomes[0][1]).toMatchObject({ identity: 'deleted:ghost', memberKind: 'deleted' });
    expect(outcomes[0][2]).toMatchObject({ identity: 'deleted:ghost' });
    expect(outcomes[0][3]).toMatchObject({ identity: 'github:202', memberKind: 'bot' });
    expect(outcomes[0][6]).toEqual(outcomes[0][5]);
    expect(outcomes[0][7]).toMatchObject({ identity: 'github:101' });
    expect(outcomes[0][9]).toBeNull();
    expect(outcomes[0][10]).toMatchObject({ identity: 'github:404', memberIdentities: ['email:erin@corp.example', 'github:404'] });
    expect(outcomes[1][0]).toMatchObject({ identity: 'github:101', memberLogin: 'alice2' });
    expect(outcomes[1][1]).toMatchObject({ identity: 'email:erin@corp.example', evidence: 'api' });
    // a login-only noreply address: an address identity in the member of its login's holder, inferred
    expect(outcomes[2][0]).toMatchObject({
      identity: 'email:alice2@users.noreply.github.com',
      evidence: 'login',
      memberLogin: 'alice2',
      memberIdentities: ['email:alice2@users.noreply.github.com', 'github:101'],
    });
    expect(outcomes[2][1]).toMatchObject({ identity: 'email:late-holder@users.noreply.github.com', evidence: 'self', memberLogin: null });
    expect(outcomes[3][0]).toMatchObject({
      identity: 'github:808',
      memberLogin: 'Late-Holder',
      memberIdentities: ['email:late-holder@users.noreply.github.com', 'github:808'],
    });
    expect(outcomes[3][1]).toMatchObject({ evidence: 'login', memberIdentities: ['email:together@users.noreply.github.com', 'github:909'] });
    expect(outcomes[3][2]).toMatchObject({ identity: 'github:909', memberIdentities: ['email:together@users.noreply.github.com', 'github:909'] });
    // bots: one identity across the listed address, the login-only noreply address and the account
    expect(outcomes[0][12]).toMatchObject({ identity: 'github:41898282', evidence: 'bot_list', memberKind: 'bot' });
    expect(outcomes[0][13]).toEqual(outcomes[0][12]);
    expect(outcomes[0][14]).toMatchObject({ identity: 'email:renovate@whitesourcesoftware.com', memberKind: 'bot' });
    expect(outcomes[0][15]).toMatchObject({ identity: 'github:998' });
    // the API linked carol's address to account 606: evidence on carol's identity, no move
    expect(outcomes[1][4]).toMatchObject({ identity: 'github:606', memberIdentities: ['github:606'] });
    const evidence = (db: DataSource) =>
      db.query(`SELECT i.platform || ':' || i.key AS identity, e.kind, e.subject FROM identity_evidence e JOIN identity i ON i.id = e.identity_id ORDER BY 1, 2, 3`);
    expect(await evidence(bulk)).toEqual(await evidence(serial));
    expect(await evidence(bulk)).toEqual([
      { identity: 'email:carol@example.org', kind: 'api_link', subject: '606' },
      { identity: 'email:erin@corp.example', kind: 'api_link', subject: '404' },
      { identity: 'github:998', kind: 'noreply_id_mismatch', subject: '999+zed@users.noreply.github.com' },
    ]);
    const holders = (db: DataSource) => db.query(`SELECT id::int, login_set_at = '-infinity' AS inferred FROM github_account ORDER BY id`);
    expect(await holders(bulk)).toEqual(await holders(serial));
    expect(await accounts(bulk)).toEqual(await accounts(serial));
    const count = (db: DataSource) => db.query(`SELECT (SELECT count(*)::int FROM member) AS members, (SELECT count(*)::int FROM identity) AS identities`);
    expect(await count(bulk)).toEqual(await count(serial));
  });

  it('never merges by name: two addresses with one git name are two members', async () => {
    const resolver = new BulkIdentityResolver(bulk);
    const [a, b] = await resolver.resolveMany([author('same-name-1@example.org', 'Same Name'), author('same-name-2@example.org', 'Same Name')]);
    expect(a!.memberId).not.toBe(b!.memberId);
  });

  it('creates one member per account when resolvers race on the same new actors', async () => {
    const actors = [gh(7001, 'racer-one'), gh(7002, 'racer-two'), author('racer@example.org')];
    const [left, right] = await Promise.all([new BulkIdentityResolver(bulk).resolveMany(actors), new BulkIdentityResolver(bulk).resolveMany(actors)]);
    expect(left).toEqual(right);
  });

  it('with historical logins, never lets an old login undo a rename, and still inserts new accounts', async () => {
    await new BulkIdentityResolver(bulk).resolveMany([gh(8001, 'current-login')]);
    const historical = new BulkIdentityResolver(bulk, { historicalLogins: true });
    const [old, fresh] = await historical.resolveMany([gh(8001, 'login-in-2014'), gh(8002, 'first-seen-2014')]);
    const current = await new BulkIdentityResolver(bulk).resolveMany([gh(8001, 'current-login')]);
    expect(old).toEqual(current[0]);
    expect(fresh).not.toBeNull();
    const rows = await bulk.query(`SELECT id::int, login FROM github_account WHERE id IN (8001, 8002) ORDER BY id`);
    expect(rows).toEqual([
      { id: 8001, login: 'current-login' },
      { id: 8002, login: 'first-seen-2014' },
    ]);
  });
});
