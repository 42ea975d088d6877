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
    const [identity] = await db.query(`SELECT evidence FROM identity WHERE id = $1`, [byLogin!.identityId]);
    expect(['login', 'self', 'noreply']).toContain(identity.evidence);
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
