import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../test/helpers/test-env.js';
import { ActivityService } from './activity.service.js';
import type { ActivityInput } from './activity.types.js';
import { BulkIdentityResolver } from './bulk-identity-resolver.js';
import type { ActorRef } from './identity.types.js';
import { IdentityService } from './identity.service.js';
import { MergeSuggestionService } from './merges/merge-suggestion.service.js';
import { MemberMergeService } from './merges/member-merge.service.js';

/** Identity resolution fed odd but real input: letter case, reused logins, odd addresses and names. */
describe('identity resolution: odd input (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let identities: IdentityService;
  let bulk: BulkIdentityResolver;
  let activities: ActivityService;
  let suggestions: MergeSuggestionService;
  let keySeq = 1;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    identities = new IdentityService(db);
    bulk = new BulkIdentityResolver(db);
    activities = new ActivityService(db, identities);
    suggestions = new MergeSuggestionService(db, new MemberMergeService(db));
    await db.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'river', 'parser', 'river/parser')`);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  const author = (email: string | null, name: string | null = 'Someone'): ActorRef => ({ kind: 'commit-author', account: null, name, email });
  const account = (id: number, login: string, type = 'User'): ActorRef => ({ kind: 'github', account: { id, login, type } });
  const commit = (actor: ActorRef): ActivityInput => ({
    type: 'commit',
    occurredAt: new Date(Date.UTC(2024, 0, 1)),
    repositoryId: 1,
    actor,
    source: 'api',
    sourceKey: `commit:${(keySeq++).toString(16).padStart(40, '0')}`,
  });
  const kindOf = async (memberId: string): Promise<string> => (await db.query(`SELECT kind FROM member WHERE id = $1`, [memberId]))[0].kind;

  it('logins in any letter case are one account; a reused login belongs to its new holder (I2)', async () => {
    const first = (await identities.resolve(account(4242, 'River-Oak')))!;
    expect((await identities.resolve(account(4242, 'river-oak')))!.memberId).toBe(first.memberId);
    await identities.resolve(account(4242, 'oak-river'));
    const taker = (await identities.resolve(account(90001, 'river-oak')))!;
    expect(taker.memberId).not.toBe(first.memberId);
    expect((await identities.resolveLogin('@OAK-River '))?.memberId).toBe(first.memberId);
    expect((await identities.resolveLogin('RIVER-OAK'))?.memberId).toBe(taker.memberId);
    // a login-only noreply address in odd case goes to the login's current holder
    expect((await identities.resolve(author('River-Oak@Users.NoReply.GitHub.com')))!.memberId).toBe(taker.memberId);
    // the id form in odd case is the id's account, whatever login it names
    expect((await identities.resolve(author('4242+RIVER-OAK@USERS.NOREPLY.GITHUB.COM')))!.memberId).toBe(first.memberId);
    await expect(identities.resolveLogin('-river')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(identities.resolveLogin('x'.repeat(40))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('noreply look-alikes are addresses of their own, and web-flow\'s noreply@github.com is the web-flow bot', async () => {
    const plus = (await identities.resolve(author('oak+tag@users.noreply.github.com')))!;
    const zero = (await identities.resolve(author('0+oak@users.noreply.github.com')))!;
    const rows = await db.query(`SELECT platform, key FROM identity WHERE id = ANY($1::uuid[]) ORDER BY key`, [[plus.identityId, zero.identityId]]);
    expect(rows).toEqual([
      { platform: 'email', key: '0+oak@users.noreply.github.com' },
      { platform: 'email', key: 'oak+tag@users.noreply.github.com' },
    ]);
    const webFlow = (await identities.resolve(author('NoReply@GitHub.com', 'GitHub')))!;
    expect(await kindOf(webFlow.memberId)).toBe('bot');
    expect((await identities.resolve(account(19864447, 'web-flow', 'User')))!.memberId).toBe(webFlow.memberId);
  });

  it('unicode and empty names resolve by address only, and never join anyone', async () => {
    const zoe = (await identities.resolve(author('zoë@exämple.org', 'Zoë Ünïcødé')))!;
    const again = (await identities.resolve(author('ZOË@EXÄMPLE.ORG', '')))!;
    expect(again.memberId).toBe(zoe.memberId);
    const nameless1 = (await identities.resolve(author('n1@x.example', '')))!;
    const nameless2 = (await identities.resolve(author('n2@x.example', '   ')))!;
    expect(nameless1.memberId).not.toBe(nameless2.memberId);
    expect(await db.query(`SELECT display_name FROM member WHERE id = $1`, [nameless2.memberId])).toEqual([{ display_name: null }]);
  });

  it('a git name equal to another person\'s login is at most a weak suggestion, never a merge', async () => {
    await activities.record([commit(account(5555, 'pat-p')), commit(author('impostor@x.example', 'PAT-P'))]);
    await db.query(
      `INSERT INTO git_commit (sha, repository_id, author_identity_id, author_name, authored_at)
       SELECT substr(a.source_key, 8), 1, a.identity_id, 'PAT-P', a.occurred_at FROM activity a JOIN identity i ON i.id = a.identity_id
        WHERE i.key = 'impostor@x.example'`,
    );
    await db.query(`INSERT INTO git_commit_repository (sha, repository_id) SELECT sha, 1 FROM git_commit ON CONFLICT DO NOTHING`);
    // pat-p has activity in river/parser: a weak suggestion, never a merge
    const result = await suggestions.sweep();
    expect(result.merged).toBe(0);
    const open = await suggestions.list({});
    expect(open.edges.map(({ node }) => [node.evidenceKind, node.conclusive])).toEqual([['author_name_is_login', false]]);
  });

  it('an address GitHub links while another resolver is creating it joins that identity, with its api_link evidence', async () => {
    const holder = await db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      // a resolver creating the e-mail identity holds its key's lock
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('email:racing@x.example', 0))`);
      const linking = identities.resolve({ kind: 'commit-author', account: { id: 7701, login: 'racing', type: 'User' }, name: 'R', email: 'racing@x.example' });
      let waiting = false;
      for (let poll = 0; poll < 100 && !waiting; poll += 1) {
        const [row] = await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`,
        );
        waiting = row.n > 0;
        if (!waiting) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [member] = await holder.query(`INSERT INTO member (kind) VALUES ('person') RETURNING id`);
      await holder.query(`INSERT INTO identity (member_id, platform, key, evidence) VALUES ($1, 'email', 'racing@x.example', 'self')`, [member.id]);
      await holder.commitTransaction();
      await linking;
      const evidence = await db.query(
        `SELECT i.member_id, e.kind, e.subject FROM identity i JOIN identity_evidence e ON e.identity_id = i.id WHERE i.key = 'racing@x.example'`,
      );
      expect(evidence).toEqual([{ member_id: member.id, kind: 'api_link', subject: '7701' }]);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('a verified address recorded while a resolver is creating it joins that identity, with its evidence', async () => {
    await identities.resolve(account(7702, 'verifier'));
    const holder = await db.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT pg_advisory_xact_lock(hashtextextended('email:verified-race@x.example', 0))`);
      const verifying = identities.recordVerifiedEmail(7702, 'Verified-Race@x.example', 'profile');
      for (let poll = 0; poll < 100; poll += 1) {
        const [row] = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'advisory'`);
        if (row.n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [member] = await holder.query(`INSERT INTO member (kind) VALUES ('person') RETURNING id`);
      await holder.query(`INSERT INTO identity (member_id, platform, key, evidence) VALUES ($1, 'email', 'verified-race@x.example', 'self')`, [member.id]);
      await holder.commitTransaction();
      expect(await verifying).toMatchObject({ memberId: member.id });
      const evidence = await db.query(
        `SELECT e.kind, e.subject FROM identity i JOIN identity_evidence e ON e.identity_id = i.id WHERE i.key = 'verified-race@x.example'`,
      );
      expect(evidence).toEqual([{ kind: 'verified_email', subject: '7702' }]);
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('addresses no mail system could deliver (over 254 characters, no domain) name nobody, in both resolvers', async () => {
    // incompressible, so that Postgres cannot squeeze it under the index's 2,704-byte limit
    const long = `${Array.from({ length: 100 }, (_, n) => createHash('md5').update(String(n)).digest('hex')).join('')}@x.example`;
    for (const email of [long, 'oak', 'oak@', '@x.example', 'two@at@x.example', '']) {
      expect(await identities.resolve(author(email))).toBeNull();
      expect(await bulk.resolveMany([author(email)])).toEqual([null]);
    }
    // a batch holding such a commit still records the others
    const recorded = await activities.record([commit(author(long)), commit(author('fine@x.example'))]);
    expect(recorded).toBeDefined();
    expect(await db.query(`SELECT count(*)::int AS n FROM identity WHERE key = 'fine@x.example'`)).toEqual([{ n: 1 }]);
    // an account's author id still wins over a bad address
    expect((await identities.resolve({ kind: 'commit-author', account: { id: 6001, login: 'long-mail', type: 'User' }, name: 'L', email: long }))).toMatchObject({
      memberId: expect.any(String),
    });
    expect(await db.query(`SELECT count(*)::int AS n FROM identity WHERE length(key) > 254`)).toEqual([{ n: 0 }]);
  });
});
