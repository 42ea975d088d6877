import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { createTestEnv, type TestEnv } from '../../../test/helpers/test-env.js';
import { ActivityService } from './activity.service.js';
import { IdentityService } from './identity.service.js';
import { MembersModule } from './members.module.js';

describe('IdentityService and ActivityService (Postgres)', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let identities: IdentityService;
  let activities: ActivityService;
  let db: DataSource;
  const repositoryId = 1;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, MembersModule] }).compile();
    app = await moduleRef.init();
    identities = app.get(IdentityService);
    activities = app.get(ActivityService);
    db = app.get(DataSource);
    await db.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'o', 'r', 'o/r')`);
  });

  afterAll(async () => {
    await app?.close();
    await env?.teardown();
  });

  const pr = (number: number, account: { id: number; login: string }, day: number) => ({
    type: 'pull_request_opened' as const,
    occurredAt: new Date(Date.UTC(2024, 0, day)),
    repositoryId,
    actor: { kind: 'github' as const, account: { ...account, type: 'User' } },
    source: 'api' as const,
    sourceKey: `pull_request:${repositoryId}:${number}:opened`,
    facts: { number },
  });

  it('I2: keeps one member across a rename and gives a reused login to a new member', async () => {
    await activities.record([pr(10, { id: 4242, login: 'river-oak' }, 1)]);
    await activities.record([pr(11, { id: 4242, login: 'oak-river' }, 2)]);
    await activities.record([pr(12, { id: 90001, login: 'river-oak' }, 3)]);
    const rows: Array<{ number: number; login: string; member_id: string }> = await db.query(
      `SELECT (a.facts->>'number')::int AS number, m.login, a.member_id FROM activity a JOIN member m ON m.id = a.member_id
       WHERE a.type = 'pull_request_opened' ORDER BY 1`,
    );
    expect(rows.map((row) => [row.number, row.login])).toEqual([
      [10, 'oak-river'],
      [11, 'oak-river'],
      [12, 'river-oak'],
    ]);
    expect(rows[0].member_id).toBe(rows[1].member_id);
    expect(rows[2].member_id).not.toBe(rows[0].member_id);
    const [first] = await db.query(
      `SELECT min(occurred_at) AS at FROM activity WHERE member_id = $1 AND type = 'pull_request_opened'`,
      [rows[0].member_id],
    );
    expect(first.at.toISOString()).toBe('2024-01-01T00:00:00.000Z'); // first contribution dated at #10
    // a hackathon registration naming `Oak-River` resolves case-insensitively to 4242
    expect(await identities.resolveLogin('Oak-River')).toEqual({ githubAccountId: 4242, login: 'oak-river', memberId: rows[0].member_id });
    expect(await identities.resolveLogin(' @RIVER-OAK ')).toEqual({ githubAccountId: 90001, login: 'river-oak', memberId: rows[2].member_id });
    expect(await identities.resolveLogin('nobody-here')).toBeNull();
  });

  it('gives a login held by two stored accounts to the one seen holding it last, never to an inferred one', async () => {
    // 6001 renamed away (unseen by Cambrian) and 6002 took its login: both rows say `reused`
    await identities.resolve({ kind: 'github', account: { id: 6001, login: 'reused', type: 'User' } });
    await identities.resolve({ kind: 'github', account: { id: 6002, login: 'Reused', type: 'User' } });
    // an account known only from a noreply address with that login is not its holder
    await identities.resolve({ kind: 'commit-author', account: null, name: 'Old', email: '6000+reused@users.noreply.github.com' });
    expect(await identities.resolveLogin('REUSED')).toMatchObject({ githubAccountId: 6002 });
    // the login-only noreply form resolves to the holder too
    const byLogin = await identities.resolve({ kind: 'commit-author', account: null, name: 'R', email: 'reused@users.noreply.github.com' });
    expect(byLogin?.memberId).toBe((await identities.resolveLogin('reused'))!.memberId);
  });

  it.each(['', 'two words', '-leading', 'a'.repeat(40), 'mail@example.org'])('refuses %p as a login with BAD_USER_INPUT', async (login) => {
    await expect(identities.resolveLogin(login)).rejects.toMatchObject({ name: 'IdentityException', code: 'BAD_USER_INPUT' });
  });

  it('I3: an id noreply address resolves to the API id and a login-only one by login lookup, marked inferred', async () => {
    const byId = await identities.resolve({
      kind: 'commit-author',
      account: null,
      name: 'Oak',
      email: '4242+river-oak@users.noreply.github.com',
    });
    const byLogin = await identities.resolve({
      kind: 'commit-author',
      account: null,
      name: 'Oak',
      email: 'OAK-RIVER@users.noreply.github.com',
    });
    const [account] = await db.query(`SELECT login, member_id FROM github_account WHERE id = 4242`);
    expect(account.login).toBe('oak-river'); // the stale login in the address is ignored
    expect(byId?.memberId).toBe(account.member_id);
    expect(byLogin?.memberId).toBe(account.member_id);
    // (a) is account 4242's identity (the id decides); with the API's author too, and no flag (the ids agree)
    const [identity] = await db.query(`SELECT platform, key FROM identity WHERE id = $1`, [byId!.identityId]);
    expect(identity).toEqual({ platform: 'github', key: '4242' });
    const withApi = await identities.resolve({
      kind: 'commit-author',
      account: { id: 4242, login: 'oak-river', type: 'User' },
      name: 'Oak',
      email: '4242+river-oak@users.noreply.github.com',
    });
    expect(withApi).toEqual(byId);
    expect(await db.query(`SELECT kind FROM identity_evidence WHERE identity_id = $1`, [byId!.identityId])).toEqual([]);
    // (b) is the address's own identity, in the member of the login's holder, inferred
    expect(await db.query(`SELECT platform, key, evidence FROM identity WHERE id = $1`, [byLogin!.identityId])).toEqual([
      { platform: 'email', key: 'oak-river@users.noreply.github.com', evidence: 'login' },
    ]);
    const [fromLogin] = await identities.resolveMany([
      { kind: 'commit-author', account: null, name: 'Oak', email: 'oak-river@users.noreply.github.com' },
    ]);
    expect(fromLogin).toEqual(byLogin);
  });

  it('I1: maps user null and the ghost sender to one deleted-user member', async () => {
    const fromNull = await identities.resolve({ kind: 'github', account: null });
    const fromGhost = await identities.resolve({ kind: 'github', account: { login: 'ghost', id: 10137, type: 'User' } });
    expect(fromNull?.memberId).toBe(fromGhost?.memberId);
    const [member] = await db.query(`SELECT kind FROM member WHERE id = $1`, [fromNull!.memberId]);
    expect(member.kind).toBe('deleted');
  });

  it('never merges e-mail identities by name', async () => {
    const a = await identities.resolve({ kind: 'commit-author', account: null, name: 'Bo', email: 'a@one.example' });
    const b = await identities.resolve({ kind: 'commit-author', account: null, name: 'Bo', email: 'b@two.example' });
    expect(a?.memberId).not.toBe(b?.memberId);
    expect(await identities.resolve({ kind: 'commit-author', account: null, name: 'Bo', email: '' })).toBeNull();
  });

  it('creates one member when many workers resolve the same new account at once', async () => {
    const actor = { kind: 'github' as const, account: { id: 777, login: 'racer', type: 'User' } };
    const results = await Promise.all(Array.from({ length: 8 }, () => identities.resolve(actor)));
    expect(new Set(results.map((result) => result?.memberId)).size).toBe(1);
  });

  it('records a replayed activity once', async () => {
    const input = pr(50, { id: 5050, login: 'replayer' }, 5);
    expect(await activities.record([input, input])).toEqual({ inserted: 1, skipped: 1 });
    expect(await activities.record([input])).toEqual({ inserted: 0, skipped: 1 });
  });

  it('I3 (b): a login-only noreply address joins its login holder\'s member, inferred, whichever arrives first', async () => {
    // the account first: the address joins its member
    const account = await identities.resolve({ kind: 'github', account: { id: 7070, login: 'Lookup-Me', type: 'User' } });
    const inferred = await identities.resolve({ kind: 'commit-author', account: null, name: 'L', email: 'lookup-me@users.noreply.github.com' });
    expect(inferred!.memberId).toBe(account!.memberId);
    expect(await db.query(`SELECT key, evidence FROM identity WHERE id = $1`, [inferred!.identityId])).toEqual([
      { key: 'lookup-me@users.noreply.github.com', evidence: 'login' },
    ]);
    // the address first: a member of its own until the account comes, which then joins it
    const early = await identities.resolve({ kind: 'commit-author', account: null, name: 'E', email: 'Early-Bird@users.noreply.github.com' });
    expect(await db.query(`SELECT evidence FROM identity WHERE id = $1`, [early!.identityId])).toEqual([{ evidence: 'self' }]);
    const late = await identities.resolve({ kind: 'github', account: { id: 7071, login: 'early-bird', type: 'User', name: 'Early Bird' } });
    expect(late!.memberId).toBe(early!.memberId);
    expect(await db.query(`SELECT evidence FROM identity WHERE id = $1`, [early!.identityId])).toEqual([{ evidence: 'login' }]);
    expect(await db.query(`SELECT login, display_name FROM member WHERE id = $1`, [early!.memberId])).toEqual([
      { login: 'early-bird', display_name: 'Early Bird' },
    ]);
  });

  it('resolves one bot to one bot member across its account, its noreply address and its listed e-mail', async () => {
    const actors = [
      { kind: 'commit-author' as const, account: null, name: 'GitHub Action', email: 'action@github.com' },
      { kind: 'commit-author' as const, account: null, name: 'github-actions[bot]', email: 'github-actions[bot]@users.noreply.github.com' },
      { kind: 'github' as const, account: { id: 41898282, login: 'github-actions[bot]', type: 'Bot' } },
    ];
    const resolved = [];
    for (const actor of actors) resolved.push(await identities.resolve(actor));
    expect(new Set(resolved.map((entry) => entry?.identityId)).size).toBe(1);
    const [member] = await db.query(`SELECT kind FROM member WHERE id = $1`, [resolved[0]!.memberId]);
    expect(member.kind).toBe('bot');
    const renovate = await identities.resolve({ kind: 'commit-author', account: null, name: 'Renovate Bot', email: 'renovate@whitesourcesoftware.com' });
    const someApp = await identities.resolve({ kind: 'commit-author', account: null, name: 'some-app[bot]', email: 'app@example.org' });
    const preview = await identities.resolve({ kind: 'commit-author', account: null, name: 'x', email: 'dependabot-preview@users.noreply.github.com' });
    const kinds = await db.query(`SELECT kind FROM member WHERE id = ANY($1::uuid[])`, [[renovate!.memberId, someApp!.memberId, preview!.memberId]]);
    expect(kinds).toEqual([{ kind: 'bot' }, { kind: 'bot' }, { kind: 'bot' }]);
  });

  it('marks bots as bot members', async () => {
    const bot = await identities.resolve({
      kind: 'commit-author',
      account: null,
      name: 'github-actions[bot]',
      email: '41898282+github-actions[bot]@users.noreply.github.com',
    });
    const [member] = await db.query(`SELECT kind FROM member WHERE id = $1`, [bot!.memberId]);
    expect(member.kind).toBe('bot');
  });
});
