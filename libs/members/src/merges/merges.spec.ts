import { DataSource } from 'typeorm';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { ActivityService } from '../activity.service.js';
import type { ActivityInput } from '../activity.types.js';
import { IdentityException } from '../identity.exception.js';
import { IdentityService } from '../identity.service.js';
import { IdentityExplanationService } from './identity-explanation.service.js';
import { MemberMergeService } from './member-merge.service.js';
import { MergeSuggestionService } from './merge-suggestion.service.js';

const sha = (n: number) => n.toString(16).padStart(40, '0');

describe('merges, unmerges and merge suggestions (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let identities: IdentityService;
  let activities: ActivityService;
  let merges: MemberMergeService;
  let suggestions: MergeSuggestionService;
  let explanations: IdentityExplanationService;
  const recomputed: string[][] = [];
  let shaSeq = 1;

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    identities = new IdentityService(db);
    activities = new ActivityService(db, identities);
    merges = new MemberMergeService(db, { recomputeMembers: async (ids) => recomputed.push(ids) });
    suggestions = new MergeSuggestionService(db, merges);
    explanations = new IdentityExplanationService(db);
    await db.query(
      `INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'river', 'parser', 'river/parser'),
         (2, 'BlinkDL', 'ChatRWKV', 'BlinkDL/ChatRWKV'), (3, 'elsewhere', 'other', 'elsewhere/other')`,
    );
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  /** `count` commits by one author, stored as GitHub's commit list would have them (git_commit + activity). */
  async function commits(
    count: number,
    author: { account?: { id: number; login: string } | null; name: string; email: string },
    repositoryId = 1,
  ): Promise<void> {
    const inputs: ActivityInput[] = [];
    for (let n = 0; n < count; n += 1) {
      const commitSha = sha(shaSeq++);
      await db.query(
        `INSERT INTO git_commit (sha, repository_id, author_name, authored_at, message_headline) VALUES ($1, $2, $3, $4, 'x')`,
        [commitSha, repositoryId, author.name, new Date(Date.UTC(2024, 0, 1 + n)).toISOString()],
      );
      await db.query(`INSERT INTO git_commit_repository (sha, repository_id) VALUES ($1, $2)`, [commitSha, repositoryId]);
      inputs.push({
        type: 'commit',
        occurredAt: new Date(Date.UTC(2024, 0, 1 + n)),
        repositoryId,
        actor: { kind: 'commit-author', account: author.account ? { ...author.account, type: 'User' } : null, name: author.name, email: author.email },
        source: 'api',
        sourceKey: `commit:${commitSha}`,
      });
    }
    await activities.record(inputs);
    await db.query(
      `UPDATE git_commit g SET author_identity_id = a.identity_id FROM activity a
       WHERE a.source_key = 'commit:' || g.sha AND g.author_identity_id IS NULL`,
    );
  }

  const memberOfEmail = async (email: string): Promise<string> =>
    (await db.query(`SELECT member_id FROM identity WHERE platform = 'email' AND key = $1`, [email]))[0].member_id;
  const memberOfAccount = async (id: number): Promise<string> =>
    (await db.query(`SELECT member_id FROM github_account WHERE id = $1`, [id]))[0].member_id;
  const commitCount = async (memberId: string): Promise<number> =>
    (await db.query(`SELECT count(*)::int AS n FROM activity WHERE member_id = $1 AND type = 'commit'`, [memberId]))[0].n;

  it('I4: a verified e-mail joins the git-history member to the GitHub member in the sweep: one member with 48 commits', async () => {
    await commits(8, { name: 'Oak River', email: 'oak@river.example' });
    await commits(40, { account: { id: 4242, login: 'oak-river' }, name: 'Oak River', email: '4242+oak-river@users.noreply.github.com' });
    const fromGit = await memberOfEmail('oak@river.example');
    const fromGithub = await memberOfAccount(4242);
    expect(fromGit).not.toBe(fromGithub);

    await identities.recordVerifiedEmail(4242, 'Oak@River.example', 'profile');
    const result = await suggestions.sweep();
    expect(result.merged).toBe(1);
    expect(await memberOfEmail('oak@river.example')).toBe(fromGithub);
    expect(await commitCount(fromGithub)).toBe(48);
    expect(await commitCount(fromGit)).toBe(0);
    const [merged] = await db.query(`SELECT merged_into_id FROM member WHERE id = $1`, [fromGit]);
    expect(merged.merged_into_id).toBe(fromGithub);
    expect(recomputed.at(-1)?.sort()).toEqual([fromGit, fromGithub].sort());
    // the second sweep finds nothing new
    expect(await suggestions.sweep()).toEqual({ suggested: 0, merged: 0, skipped: 0 });
  });

  it("merges an address GitHub's API linked to an account after git history made it a member of its own", async () => {
    await commits(3, { name: 'Fern', email: 'fern@moss.example' });
    await commits(2, { account: { id: 5151, login: 'fern-moss' }, name: 'Fern', email: 'fern@moss.example' });
    const [evidence] = await db.query(
      `SELECT e.kind, e.subject FROM identity_evidence e JOIN identity i ON i.id = e.identity_id WHERE i.key = 'fern@moss.example'`,
    );
    expect(evidence).toEqual({ kind: 'api_link', subject: '5151' });
    await suggestions.sweep();
    const member = await memberOfAccount(5151);
    expect(await memberOfEmail('fern@moss.example')).toBe(member);
    expect(await commitCount(member)).toBe(5);
  });

  it('flags a noreply address whose id disagrees with the API author and never merges it', async () => {
    const resolved = await identities.resolve({
      kind: 'commit-author',
      account: { id: 6161, login: 'real-author', type: 'User' },
      name: 'Someone',
      email: '6262+someone-else@users.noreply.github.com',
    });
    const flags = await db.query(`SELECT kind, subject, detail FROM identity_evidence WHERE identity_id = $1`, [resolved!.identityId]);
    expect(flags).toEqual([
      {
        kind: 'noreply_id_mismatch',
        subject: '6262+someone-else@users.noreply.github.com',
        detail: expect.objectContaining({ addressAccountId: 6262, apiAccountId: 6161 }),
      },
    ]);
    expect(await db.query(`SELECT id FROM github_account WHERE id = 6262`)).toEqual([]);
    await suggestions.sweep();
    expect(await db.query(`SELECT id FROM member_merge_suggestion WHERE member_id = $1 OR other_member_id = $1`, [resolved!.memberId])).toEqual([]);
    const [proofs] = await explanations.proofsByIdentityIds([resolved!.identityId]);
    expect(proofs.map((proof) => proof.kind)).toEqual(['api', 'noreply_id_mismatch']);
  });

  it('suggests, never merges, an address whose commits carry a login as git name in that account\'s own repository', async () => {
    await commits(2, { account: { id: 33809201, login: 'BlinkDL' }, name: 'PENG Bo', email: '33809201+BlinkDL@users.noreply.github.com' }, 2);
    await commits(3, { name: 'BlinkDL', email: '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8@a.com' }, 2);
    await commits(1, { name: 'Bo', email: '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8@a.com' }, 2);
    // not evidence: the same hashed local part on another domain, the same name, an empty name, a login elsewhere
    await commits(1, { name: 'Bo', email: '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8@b.example' }, 2);
    await commits(1, { name: '', email: 'nameless@c.example' }, 2);
    await commits(1, { name: 'oak-river', email: 'impostor@d.example' }, 3);
    const result = await suggestions.sweep();
    expect(result.merged).toBe(0);
    const open = await suggestions.list({ status: 'open' });
    expect(open.edges.map(({ node }) => [node.evidenceKind, node.conclusive, node.evidence.email, node.evidence.login])).toEqual([
      ['author_name_is_login', false, '86f7e437faa5a7fce15d1ddcb9eaeaea377667b8@a.com', 'BlinkDL'],
    ]);
    expect(open.edges[0].node.evidence).toMatchObject({ gitName: 'blinkdl', commits: 3, repositories: ['BlinkDL/ChatRWKV'] });
    expect(open.totalCount).toBe(1);
  });

  it('lets an admin accept a suggestion, and an unmerge restores everything exactly and rejects the suggestion', async () => {
    const snapshot = () =>
      db.query(`SELECT
          (SELECT json_agg(json_build_object('id', id, 'member', member_id) ORDER BY id) FROM identity) AS identities,
          (SELECT json_agg(json_build_object('id', id, 'member', member_id) ORDER BY id) FROM github_account) AS accounts,
          (SELECT json_agg(json_build_object('id', id, 'member', member_id) ORDER BY id) FROM activity) AS activities,
          (SELECT json_agg(json_build_object('id', id, 'login', login, 'name', display_name, 'into', merged_into_id) ORDER BY id) FROM member) AS members`);
    const before = await snapshot();
    const [open] = (await suggestions.list({})).edges;
    const merge = await suggestions.accept(open.node.id, 'admin:test', 'same person: maintainer confirmed');
    expect(merge).toMatchObject({ intoMemberId: open.node.memberId, fromMemberId: open.node.otherMemberId, activitiesMoved: 4 });
    expect(merge.reason).toBe('same person: maintainer confirmed');
    expect(await commitCount(open.node.memberId)).toBe(6);
    await expect(suggestions.accept(open.node.id, 'admin:test')).rejects.toMatchObject({ code: 'CONFLICT' });

    const undone = await merges.unmerge(merge.id, { actor: 'admin:test', reason: 'two people after all' });
    expect(undone.unmergedAt).toBeInstanceOf(Date);
    expect(await snapshot()).toEqual(before);
    const [after] = (await suggestions.list({ status: 'rejected' })).edges;
    expect(after.node).toMatchObject({ id: open.node.id, status: 'rejected', mergeId: merge.id });
    await suggestions.sweep();
    expect((await suggestions.list({})).totalCount).toBe(0);
    await expect(merges.unmerge(merge.id, { actor: 'admin:test' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const [history] = await merges.mergesByMemberIds([open.node.memberId]);
    expect(history.map((entry) => [entry.id, entry.unmergedBy])).toEqual([[merge.id, 'admin:test']]);
  });

  it('moves what reached a member after its merge (a resolver racing the merge) into the survivor, and an unmerge takes it back', async () => {
    await commits(2, { name: 'Wren', email: 'wren@nest.example' });
    await commits(1, { account: { id: 7171, login: 'wren' }, name: 'Wren', email: '7171+wren@users.noreply.github.com' });
    const survivor = await memberOfAccount(7171);
    const merged = await memberOfEmail('wren@nest.example');
    const merge = await merges.merge(survivor, merged, { reason: 'Wren said so', actor: 'admin:test' });
    // as if a resolver read the old member just before the merge committed
    const [late] = await db.query(
      `INSERT INTO identity (member_id, platform, key, evidence) VALUES ($1, 'email', 'wren@late.example', 'self') RETURNING id`,
      [merged],
    );
    await db.query(
      `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key)
       VALUES ('commit', now(), 1, $1, $2, 'api', 'commit:late-wren')`,
      [late.id, merged],
    );
    await suggestions.sweep();
    expect(await memberOfEmail('wren@late.example')).toBe(survivor);
    expect(await commitCount(survivor)).toBe(4);
    const [record] = await merges.mergesByMemberIds([merged]);
    expect(record[0].identityIds).toContain(late.id);
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect(await memberOfEmail('wren@late.example')).toBe(merged);
    expect([await commitCount(survivor), await commitCount(merged)]).toEqual([1, 3]);
  });

  it('refuses merges that cannot be right, with a clear error', async () => {
    const person = await memberOfAccount(4242);
    const bot = (await identities.resolve({ kind: 'github', account: { id: 41898282, login: 'github-actions[bot]', type: 'Bot' } }))!.memberId;
    const other = await memberOfAccount(5151);
    const cases: Array<[string, string, string, string]> = [
      [person, person, 'x', 'BAD_USER_INPUT'],
      [person, other, '  ', 'BAD_USER_INPUT'],
      [person, bot, 'x', 'BAD_USER_INPUT'],
      [person, 'not-a-uuid', 'x', 'BAD_USER_INPUT'],
      [person, '00000000-0000-4000-8000-000000000000', 'x', 'NOT_FOUND'],
    ];
    for (const [into, from, reason, code] of cases) {
      await expect(merges.merge(into, from, { reason, actor: 'admin:test' })).rejects.toMatchObject({ code });
    }
    const merge = await merges.merge(person, other, { reason: 'test', actor: 'admin:test' });
    // two GitHub members: the merged one gives up its login, so a lookup by login finds the survivor
    expect(merge.after.from).toMatchObject({ login: null, mergedIntoId: person });
    expect(merge.before.from.login).toBe('fern-moss');
    expect((await identities.resolveLogin('fern-moss'))?.memberId).toBe(person);
    await expect(merges.merge(other, person, { reason: 'again', actor: 'admin:test' })).rejects.toBeInstanceOf(IdentityException);
    await expect(merges.merge(other, person, { reason: 'again', actor: 'admin:test' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const [proofs] = await explanations.proofsByIdentityIds(merge.identityIds.slice(0, 1));
    expect(proofs.at(-1)).toMatchObject({ kind: 'merge', detail: expect.stringContaining(`merge ${merge.id}`) });
    await merges.unmerge(merge.id, { actor: 'admin:test' });
    expect((await db.query(`SELECT login FROM member WHERE id = $1`, [other]))[0].login).toBe('fern-moss');
  });
});
