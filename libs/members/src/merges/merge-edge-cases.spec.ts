import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { ActivityService } from '../activity.service.js';
import type { ActivityInput } from '../activity.types.js';
import type { ActorRef } from '../identity.types.js';
import { IdentityService } from '../identity.service.js';
import { IdentityExplanationService } from './identity-explanation.service.js';
import { MemberMergeService } from './member-merge.service.js';
import { MergeSuggestionService } from './merge-suggestion.service.js';
import { MemberQueryService } from '../queries/member-query.service.js';
import { RepositoryQueryService } from '../queries/repository-query.service.js';
import { EcosystemQueryService } from '../queries/ecosystem-query.service.js';

/**
 * Merges under hostile use: chains, concurrent merges in both directions, unmerges racing each
 * other, activity and renames arriving after a merge, replays, and ingestion racing a merge.
 */
describe('merges: chains, races, replays and renames (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let other: DataSource;
  let identities: IdentityService;
  let activities: ActivityService;
  let merges: MemberMergeService;
  let otherMerges: MemberMergeService;
  let suggestions: MergeSuggestionService;
  let keySeq = 1;
  const recomputed: string[][] = [];

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, poolSize: 6, extra: { options: env.database.options } }).initialize();
    other = await new DataSource({ type: 'postgres', url: env.database.url, poolSize: 6, extra: { options: env.database.options } }).initialize();
    identities = new IdentityService(db);
    activities = new ActivityService(db, identities);
    merges = new MemberMergeService(db, { recomputeMembers: async (ids) => void recomputed.push(ids) });
    otherMerges = new MemberMergeService(other);
    suggestions = new MergeSuggestionService(db, merges);
    await db.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'river', 'parser', 'river/parser')`);
  });

  afterAll(async () => {
    await db?.destroy();
    await other?.destroy();
    await env?.teardown();
  });

  const commitInput = (actor: ActorRef, sourceKey = `commit:${(keySeq++).toString(16).padStart(40, '0')}`): ActivityInput => ({
    type: 'commit',
    occurredAt: new Date(Date.UTC(2024, 0, 1 + (keySeq % 300))),
    repositoryId: 1,
    actor,
    source: 'api',
    sourceKey,
  });
  const byEmail = (email: string, name = 'Someone'): ActorRef => ({ kind: 'commit-author', account: null, name, email });
  const byAccount = (id: number, login: string): ActorRef => ({ kind: 'github', account: { id, login, type: 'User' } });
  const memberOf = async (actor: ActorRef): Promise<string> => (await identities.resolve(actor))!.memberId;
  const count = async (memberId: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM activity WHERE member_id = $1`, [memberId]))[0].n;
  const rollup = async (memberId: string): Promise<number> =>
    (await db.query(`SELECT coalesce(sum(activities), 0)::int AS n FROM activity_daily WHERE member_id = $1`, [memberId]))[0].n;
  const loginOf = async (memberId: string): Promise<string | null> =>
    (await db.query(`SELECT login FROM member WHERE id = $1`, [memberId]))[0].login;
  const state = () =>
    db.query(`SELECT
        (SELECT json_agg(json_build_object('id', id, 'member', member_id) ORDER BY id) FROM identity) AS identities,
        (SELECT json_agg(json_build_object('id', id, 'member', member_id) ORDER BY id) FROM github_account) AS accounts,
        (SELECT json_agg(json_build_object('id', id, 'member', member_id, 'removed', removed_at, 'facts', facts) ORDER BY id) FROM activity) AS activities,
        (SELECT json_agg(json_build_object('id', id, 'login', login, 'name', display_name, 'into', merged_into_id) ORDER BY id) FROM member) AS members,
        (SELECT json_agg(d ORDER BY d.day, d.member_id, d.type) FROM activity_daily d) AS daily`);
  const reason = { reason: 'probe', actor: 'admin:test' };

  it('a chain A→B→C undoes only from its end, and undoing both restores everything exactly', async () => {
    const [a, b, c] = [await memberOf(byEmail('chain-a@x.example')), await memberOf(byEmail('chain-b@x.example')), await memberOf(byEmail('chain-c@x.example'))];
    await activities.record([commitInput(byEmail('chain-a@x.example')), commitInput(byEmail('chain-b@x.example')), commitInput(byEmail('chain-c@x.example'))]);
    const before = await state();
    const merge = await merges.merge(b.toUpperCase(), a, reason); // ids in any letter case
    expect(merge).toMatchObject({ intoMemberId: b, fromMemberId: a });
    const first = merge;
    const second = await merges.merge(c, b, reason);
    expect(await count(c)).toBe(3);
    expect(await rollup(c)).toBe(3);
    expect(await merges.mergedIntoByMemberIds([a, b, c])).toEqual([c, c, null]);
    // why A's address is C's: both steps of the chain
    const [{ id: aIdentity }] = await db.query(`SELECT id FROM identity WHERE key = 'chain-a@x.example'`);
    const [proofs] = await new IdentityExplanationService(db).proofsByIdentityIds([aIdentity]);
    expect(proofs.filter((proof) => proof.kind === 'merge').map((proof) => proof.detail)).toEqual([
      expect.stringContaining(`merge ${first.id}`),
      expect.stringContaining(`merge ${second.id}`),
    ]);
    // A cannot take part any more, and the first merge cannot be undone under the second
    await expect(merges.merge(c, a, reason)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(merges.unmerge(first.id, { actor: 'admin:test' })).rejects.toMatchObject({ code: 'CONFLICT' });
    // a commit for A's address arriving now lands on the end of the chain
    await activities.record([commitInput(byEmail('chain-a@x.example'), 'commit:chain-late')]);
    expect(await count(c)).toBe(4);
    await merges.unmerge(second.id, { actor: 'admin:test' });
    await merges.unmerge(first.id, { actor: 'admin:test' });
    await db.query(`DELETE FROM activity WHERE source_key = 'commit:chain-late'`);
    expect(await state()).toEqual(before);
  });

  it('refuses a merge into itself, into a bot, into or of the deleted sentinel', async () => {
    const person = await memberOf(byEmail('lonely@x.example'));
    const bot = await memberOf({ kind: 'github', account: { id: 49699333, login: 'dependabot[bot]', type: 'Bot' } });
    const ghost = await memberOf({ kind: 'github', account: null });
    await expect(merges.merge(person, person, reason)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(merges.merge(person, person.toUpperCase(), reason)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(merges.merge(bot, person, reason)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(merges.merge(person, bot, reason)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(merges.merge(ghost, person, reason)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(merges.merge(person, ghost, reason)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await db.query(`SELECT count(*)::int AS n FROM member_merge WHERE $1 IN (into_member_id, from_member_id)`, [person])).toEqual([{ n: 0 }]);
  });

  it('two connections merging a pair in both directions at once: one merge, no deadlock, no identity lost', async () => {
    for (let round = 0; round < 8; round += 1) {
      const x = await memberOf(byEmail(`both-x${round}@x.example`));
      const y = await memberOf(byEmail(`both-y${round}@x.example`));
      const z = await memberOf(byEmail(`both-z${round}@x.example`));
      await activities.record([commitInput(byEmail(`both-x${round}@x.example`)), commitInput(byEmail(`both-y${round}@x.example`)), commitInput(byEmail(`both-z${round}@x.example`))]);
      // x←y and y←x, plus a triangle edge z←x, all at once
      const outcomes = await Promise.allSettled([merges.merge(x, y, reason), otherMerges.merge(y, x, reason), merges.merge(z, x, reason)]);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'CONFLICT' });
      }
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
      const standing: Array<{ member_id: string; n: number }> = await db.query(
        `SELECT i.member_id, count(*)::int AS n FROM identity i JOIN member m ON m.id = i.member_id
          WHERE i.key LIKE 'both-_${round}@x.example' AND m.merged_into_id IS NULL GROUP BY 1`,
      );
      // every identity sits on a standing member, and the activities with them
      expect(standing.reduce((sum, row) => sum + row.n, 0)).toBe(3);
      expect((await Promise.all(standing.map((row) => count(row.member_id)))).reduce((s, n) => s + n, 0)).toBe(3);
    }
  });

  it('two unmerges of one merge at once: one undoes it, the other is a CONFLICT', async () => {
    const x = await memberOf(byEmail('twice-x@x.example'));
    const y = await memberOf(byEmail('twice-y@x.example'));
    await activities.record([commitInput(byEmail('twice-y@x.example'))]);
    const merge = await merges.merge(x, y, reason);
    const outcomes = await Promise.allSettled([merges.unmerge(merge.id, { actor: 'admin:a' }), otherMerges.unmerge(merge.id, { actor: 'admin:b' })]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
    expect([await count(x), await count(y), await rollup(y)]).toEqual([0, 1, 1]);
  });

  it('activity for the merged address after the merge goes back with an unmerge; replays change nothing', async () => {
    const survivor = await memberOf(byAccount(8181, 'late-owl'));
    const merged = await memberOf(byEmail('owl@late.example', 'Owl'));
    const batch = [commitInput(byEmail('owl@late.example', 'Owl')), commitInput(byAccount(8181, 'late-owl'))];
    await activities.record(batch);
    const merge = await merges.merge(survivor, merged, reason);
    const after = [commitInput(byEmail('owl@late.example', 'Owl')), commitInput(byEmail('owl@late.example', 'Owl'))];
    await activities.record(after);
    // the same webhook/sync batches again, twice
    await activities.record([...batch, ...after]);
    await activities.record([...batch, ...after]);
    expect([await count(survivor), await rollup(survivor), await count(merged)]).toEqual([4, 4, 0]);
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect([await count(survivor), await count(merged), await rollup(merged)]).toEqual([1, 3, 3]);
    await activities.record([...batch, ...after]);
    expect([await count(survivor), await count(merged)]).toEqual([1, 3]);
  });

  it('a merged GitHub member seen again by a webhook does not rename the survivor', async () => {
    const survivor = await memberOf(byAccount(9101, 'keeps-name'));
    const merged = await memberOf(byAccount(9102, 'second-account'));
    await merges.merge(survivor, merged, reason);
    expect(await loginOf(survivor)).toBe('keeps-name');
    await activities.record([{ ...commitInput(byAccount(9102, 'second-account')), type: 'issue_opened', sourceKey: 'issue:9102:1' }]);
    expect(await loginOf(survivor)).toBe('keeps-name');
    // a rename of the merged account is not the survivor's name either
    await identities.resolve(byAccount(9102, 'second-renamed'));
    expect(await loginOf(survivor)).toBe('keeps-name');
    // but a rename of its own account is
    await identities.resolve(byAccount(9101, 'keeps-renamed'));
    expect(await loginOf(survivor)).toBe('keeps-renamed');
    expect((await identities.resolveLogin('Second-Renamed'))?.memberId).toBe(survivor);
  });

  it('the member read model finds a login as resolveLogin does: merged accounts name the survivor; a reused login its new holder', async () => {
    const members = new MemberQueryService(db, new RepositoryQueryService(db), new EcosystemQueryService(db));
    const survivor = await memberOf(byAccount(9151, 'read-survivor'));
    const merged = await memberOf(byAccount(9152, 'read-merged'));
    await merges.merge(survivor, merged, reason);
    expect((await members.find({ login: 'Read-Merged' }))?.id).toBe(survivor);
    expect((await identities.resolveLogin('read-merged'))?.memberId).toBe(survivor);
    // case I2: account 9153 renames away from "reused-login", a new account 9154 takes it
    const old = await memberOf(byAccount(9153, 'reused-login'));
    await identities.resolve(byAccount(9153, 'moved-on'));
    const taker = await memberOf(byAccount(9154, 'reused-login'));
    expect(taker).not.toBe(old);
    await db.query(`UPDATE member SET updated_at = now() + interval '1 day' WHERE id = $1`, [old]); // touched later, e.g. by a merge
    expect((await members.find({ login: 'REUSED-LOGIN' }))?.id).toBe(taker);
    expect(await members.find({ login: 'nobody-holds-this' })).toBeNull();
  });

  it('an unmerge keeps renames seen since the merge (logins are not restored stale)', async () => {
    const survivor = await memberOf(byAccount(9201, 'old-survivor'));
    const merged = await memberOf(byAccount(9202, 'old-merged'));
    const merge = await merges.merge(survivor, merged, reason);
    await identities.resolve(byAccount(9201, 'new-survivor'));
    await identities.resolve(byAccount(9202, 'new-merged'));
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect([await loginOf(survivor), await loginOf(merged)]).toEqual(['new-survivor', 'new-merged']);
    expect((await identities.resolveLogin('new-merged'))?.memberId).toBe(merged);
  });

  it('an e-mail member merged into a GitHub member, then unmerged, gets no login; the survivor keeps its own', async () => {
    const survivor = await memberOf(byAccount(9301, 'mail-owner'));
    const merged = await memberOf(byEmail('owner@mail.example', 'Mail Owner'));
    const merge = await merges.merge(merged, survivor, reason); // the e-mail member survives: it takes the login
    expect(await loginOf(merged)).toBe('mail-owner');
    expect((await identities.resolveLogin('MAIL-OWNER'))?.memberId).toBe(merged);
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect([await loginOf(merged), await loginOf(survivor)]).toEqual([null, 'mail-owner']);
  });

  it('a commit credited to both members (author and co-author address) counts once after the merge, twice again after the unmerge', async () => {
    const survivor = await memberOf(byAccount(9501, 'pair-author'));
    const merged = await memberOf(byEmail('pair@co.example', 'Pair'));
    const live = async (memberId: string) =>
      (await db.query(`SELECT count(*)::int AS n FROM activity WHERE member_id = $1 AND removed_at IS NULL`, [memberId]))[0].n;
    const shared = 'f'.repeat(40);
    await activities.record([
      commitInput({ kind: 'commit-author', account: { id: 9501, login: 'pair-author', type: 'User' }, name: 'P', email: '9501+pair-author@users.noreply.github.com' }, `commit:${shared}`),
      commitInput(byEmail('pair@co.example', 'Pair'), `commit:${shared}:co:pair@co.example`),
      commitInput(byEmail('pair@co.example', 'Pair'), `commit:${'e'.repeat(40)}`),
    ]);
    const before = await state();
    const merge = await merges.merge(survivor, merged, reason);
    expect([await live(survivor), await rollup(survivor)]).toEqual([2, 2]);
    // a replay of the co-author credit stays set aside
    await activities.record([commitInput(byEmail('pair@co.example', 'Pair'), `commit:${shared}:co:pair@co.example`)]);
    expect(await live(survivor)).toBe(2);
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect(await state()).toEqual(before);
  });

  it('a commit resolved just before a merge and written just after is a stray: the sweep moves it to the survivor', async () => {
    const survivor = await memberOf(byAccount(9601, 'stray-owner'));
    const merged = await memberOf(byEmail('stray@x.example'));
    let release!: () => void;
    let resolvedNow!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const resolvedYet = new Promise<void>((resolve) => (resolvedNow = resolve));
    // ingestion that has resolved the address to its member, and writes once the merge committed
    const slowIdentities = new IdentityService(db);
    const resolveMany = slowIdentities.resolveMany.bind(slowIdentities);
    slowIdentities.resolveMany = async (actors) => {
      const resolved = await resolveMany(actors);
      resolvedNow();
      await gate;
      return resolved;
    };
    const recording = new ActivityService(db, slowIdentities).record([commitInput(byEmail('stray@x.example')), commitInput(byEmail('stray@x.example'))]);
    await resolvedYet;
    const merge = await merges.merge(survivor, merged, reason);
    release();
    await recording;
    expect([await count(merged), await rollup(merged)]).toEqual([2, 2]);
    await suggestions.sweep();
    expect([await count(survivor), await rollup(survivor), await count(merged), await rollup(merged)]).toEqual([2, 2, 0, 0]);
    const [record] = (await merges.mergesByMemberIds([merged]))[0];
    expect(record).toMatchObject({ id: merge.id, activitiesMoved: 2 });
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect([await count(survivor), await count(merged)]).toEqual([0, 2]);
  });

  it('a commit resolved just before an unmerge and written just after goes back to its member in the sweep', async () => {
    const survivor = await memberOf(byAccount(9901, 'unmerge-racer'));
    const merged = await memberOf(byEmail('unracer@x.example'));
    const merge = await merges.merge(survivor, merged, reason);
    let release!: () => void;
    let resolvedNow!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const resolvedYet = new Promise<void>((resolve) => (resolvedNow = resolve));
    const slowIdentities = new IdentityService(db);
    const resolveMany = slowIdentities.resolveMany.bind(slowIdentities);
    slowIdentities.resolveMany = async (actors) => {
      const resolved = await resolveMany(actors);
      resolvedNow();
      await gate;
      return resolved;
    };
    const recording = new ActivityService(db, slowIdentities).record([commitInput(byEmail('unracer@x.example'))]);
    await resolvedYet;
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    release();
    await recording;
    expect(await count(survivor)).toBe(1); // written under the member the address had when resolved
    await suggestions.sweep();
    expect([await count(survivor), await rollup(survivor), await count(merged), await rollup(merged)]).toEqual([0, 0, 1, 1]);
    expect(recomputed.at(-1)?.sort()).toEqual([merged, survivor].sort());
  });

  it('an address GitHub linked to the merged account while merged goes back with the account on unmerge', async () => {
    const survivor = await memberOf(byAccount(9961, 'stays-here'));
    const merged = await memberOf(byAccount(9962, 'goes-back'));
    const merge = await merges.merge(survivor, merged, reason);
    await activities.record([commitInput({ kind: 'commit-author', account: { id: 9962, login: 'goes-back', type: 'User' }, name: 'G', email: 'goes@back.example' })]);
    const [{ member_id: linkedTo }] = await db.query(`SELECT member_id FROM identity WHERE key = 'goes@back.example'`);
    expect(linkedTo).toBe(survivor);
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    const [{ member_id: after }] = await db.query(`SELECT member_id FROM identity WHERE key = 'goes@back.example'`);
    expect(after).toBe(merged);
    expect([await count(survivor), await count(merged)]).toEqual([0, 1]);
  });

  it('an unmerged pair is not merged again by the sweep when the survivor is merged into a third member', async () => {
    // the address is recorded from git history first, then GitHub links one of its commits to 9701
    await activities.record([commitInput(byEmail('linked@x.example'))]);
    await activities.record([commitInput({ kind: 'commit-author', account: { id: 9701, login: 'linker' }, name: 'L', email: 'linked@x.example' })]);
    const holder = await memberOf(byAccount(9701, 'linker'));
    const third = await memberOf(byAccount(9702, 'third-one'));
    const [{ member_id: addressMember }] = await db.query(`SELECT member_id FROM identity WHERE key = 'linked@x.example'`);
    expect(addressMember).not.toBe(holder);
    await suggestions.sweep();
    const [auto] = (await merges.mergesByMemberIds([addressMember]))[0];
    expect(auto.intoMemberId).toBe(holder);
    await merges.unmerge(auto.id, { actor: 'admin:test', reason: 'a shared team address' });
    await merges.merge(third, holder, reason);
    await suggestions.sweep();
    const [{ member_id: after }] = await db.query(`SELECT member_id FROM identity WHERE key = 'linked@x.example'`);
    expect(after).toBe(addressMember);
  });

  it('an admin\'s unmerge of a merge made by hand is not redone by the sweep on conclusive evidence', async () => {
    await activities.record([commitInput(byEmail('hand@x.example'))]);
    await activities.record([commitInput({ kind: 'commit-author', account: { id: 9801, login: 'by-hand' }, name: 'H', email: 'hand@x.example' })]);
    const holder = await memberOf(byAccount(9801, 'by-hand'));
    const [{ member_id: addressMember }] = await db.query(`SELECT member_id FROM identity WHERE key = 'hand@x.example'`);
    // the admin merges before any sweep saw the evidence, then undoes it
    const merge = await merges.merge(holder, addressMember, reason);
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    await suggestions.sweep();
    const [{ member_id: after }] = await db.query(`SELECT member_id FROM identity WHERE key = 'hand@x.example'`);
    expect(after).toBe(addressMember);
    // the evidence stays visible to an admin, as a suggestion the sweep does not take
    const open = (await suggestions.list({ first: 100 })).edges.filter(({ node }) => node.otherMemberId === addressMember);
    expect(open.map(({ node }) => [node.evidenceKind, node.conclusive])).toEqual([['api_link', false]]);
  });

  it('batches crediting both members on many days, written while they merge: no deadlock, nothing lost', async () => {
    const spread = (actor: ActorRef, n: number): ActivityInput => ({
      ...commitInput(actor),
      occurredAt: new Date(Date.UTC(2024, 5, 1 + n)),
    });
    for (let round = 0; round < 8; round += 1) {
      const email = `both-sides${round}@x.example`;
      const ghActor: ActorRef = { kind: 'commit-author', account: { id: 9950 + round, login: `both-sides-${round}` }, name: 'B', email: `${9950 + round}+both-sides-${round}@users.noreply.github.com` };
      await activities.record(Array.from({ length: 30 }, (_, n) => [spread(byEmail(email), n), spread(ghActor, n)]).flat());
      const survivor = await memberOf(byAccount(9950 + round, `both-sides-${round}`));
      const merged = await memberOf(byEmail(email));
      const batch = (offset: number) => Array.from({ length: 30 }, (_, n) => [spread(byEmail(email), n + offset), spread(ghActor, 29 - n + offset)]).flat();
      const outcomes = await Promise.allSettled([
        activities.record(batch(0)),
        otherMerges.merge(survivor, merged, reason),
        activities.record(batch(3)),
        new ActivityService(other, new IdentityService(other)).record(batch(5)),
      ]);
      expect(outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([]);
      await suggestions.sweep();
      expect([await count(merged), await rollup(merged)]).toEqual([0, 0]);
      expect(await rollup(survivor)).toBe(await count(survivor));
      expect(await count(survivor)).toBe(60 + 3 * 60);
    }
  });

  it('two sweeps at once merge each conclusive pair once, without errors', async () => {
    for (let n = 0; n < 6; n += 1) {
      await activities.record([commitInput(byEmail(`sweep${n}@x.example`))]);
      await activities.record([commitInput({ kind: 'commit-author', account: { id: 9980 + n, login: `sweeper-${n}`, type: 'User' }, name: 'S', email: `sweep${n}@x.example` })]);
    }
    const otherSuggestions = new MergeSuggestionService(other, otherMerges);
    const [one, two] = await Promise.all([suggestions.sweep(), otherSuggestions.sweep()]);
    expect(one.merged + two.merged).toBeGreaterThanOrEqual(6);
    const pairs: Array<{ n: number }> = await db.query(
      `SELECT count(*)::int AS n FROM member_merge m JOIN identity i ON i.id = ANY(m.identity_ids)
        WHERE i.key LIKE 'sweep_@x.example' GROUP BY i.key`,
    );
    expect(pairs).toEqual(Array.from({ length: 6 }, () => ({ n: 1 })));
    for (let n = 0; n < 6; n += 1) {
      const [row] = await db.query(
        `SELECT i.member_id = a.member_id AS joined FROM identity i, github_account a WHERE i.key = $1 AND a.id = $2`,
        [`sweep${n}@x.example`, 9980 + n],
      );
      expect(row.joined).toBe(true);
    }
  });

  it('ingestion racing merges: the sweep settles every stray commit on the survivor', async () => {
    for (let round = 0; round < 6; round += 1) {
      const email = `race${round}@x.example`;
      const survivor = await memberOf(byAccount(9400 + round, `racer-${round}`));
      const merged = await memberOf(byEmail(email));
      const inputs = Array.from({ length: 20 }, () => commitInput(byEmail(email)));
      await Promise.all([
        activities.record(inputs.slice(0, 10)),
        otherMerges.merge(survivor, merged, reason),
        activities.record(inputs.slice(10)),
      ]);
      await suggestions.sweep();
      expect([await count(survivor), await count(merged), await rollup(survivor), await rollup(merged)]).toEqual([20, 0, 20, 0]);
    }
  });
});
