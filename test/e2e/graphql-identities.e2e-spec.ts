import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { ActivityService, IdentityService, MergeSuggestionService, type ActivityInput } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const commit = (n: number, actor: ActivityInput['actor']): ActivityInput => ({
  type: 'commit',
  occurredAt: new Date(Date.UTC(2024, 2, 1 + n)),
  repositoryId: 1,
  actor,
  source: 'api',
  sourceKey: `commit:${n.toString(16).padStart(40, '0')}`,
});

const WHY = `query Why($login: String!) {
  memberForLogin(login: $login) {
    id login
    identities { platform key displayName proofs { kind detail observedAt } }
    merges { id intoMemberId fromMemberId into { login } reason mergedBy activitiesMoved unmergedAt before { from { login displayName } } }
  }
}`;
const MERGE = `mutation Merge($into: ID!, $from: ID!, $reason: String!) {
  mergeMembers(into: $into, from: $from, reason: $reason) { id intoMemberId fromMemberId activitiesMoved mergedBy reason }
}`;
const UNMERGE = `mutation Unmerge($id: ID!) { unmergeMember(mergeId: $id, reason: "two people") { id unmergedAt unmergedBy unmergeReason } }`;
const SUGGESTIONS = `query { mergeSuggestions(first: 10) { totalCount edges { node { id evidenceKind conclusive evidenceJson status member { login } otherMember { login displayName } } } } }`;

describe('GraphQL: why identities are one person, merges and suggestions', () => {
  let env: TestEnv;
  let db: DataSource;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    await db.query(`INSERT INTO repository (id, owner, name, full_name) VALUES (1, 'oak-river', 'parser', 'oak-river/parser')`);
    const identities = new IdentityService(db);
    const activities = new ActivityService(db, identities);
    await activities.record([
      ...[0, 1, 2].map((n) => commit(n, { kind: 'commit-author', account: { id: 4242, login: 'oak-river', type: 'User' }, name: 'Oak', email: '4242+oak-river@users.noreply.github.com' })),
      ...[3, 4].map((n) => commit(n, { kind: 'commit-author', account: null, name: 'oak-river', email: 'oak@old-job.example' })),
    ]);
    await db.query(`UPDATE repository SET owner = 'oak-river'`);
    await db.query(
      `INSERT INTO git_commit (sha, repository_id, author_identity_id, author_name, authored_at)
       SELECT substr(a.source_key, 8), 1, a.identity_id, 'oak-river', a.occurred_at FROM activity a JOIN identity i ON i.id = a.identity_id
        WHERE i.platform = 'email'`,
    );
    await db.query(`INSERT INTO git_commit_repository (sha, repository_id) SELECT sha, 1 FROM git_commit`);
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await env?.teardown();
  });

  const memberOf = async (email: string): Promise<string> =>
    (await db.query(`SELECT member_id FROM identity WHERE key = $1`, [email]))[0].member_id;

  it('refuses merges and suggestions without an admin token', async () => {
    const merge = await client.request(MERGE, { into: await memberOf('4242'), from: await memberOf('oak@old-job.example'), reason: 'x' });
    expect(merge.errors).toEqual([expect.objectContaining({ path: ['mergeMembers'], extensions: { code: 'UNAUTHENTICATED' } })]);
    const suggestions = await client.request(SUGGESTIONS);
    expect(suggestions.errors).toEqual([expect.objectContaining({ path: ['mergeSuggestions'], extensions: { code: 'UNAUTHENTICATED' } })]);
  });

  it('lets an admin merge, explains the identities, and unmerge restores the two members', async () => {
    const into = await memberOf('4242');
    const from = await memberOf('oak@old-job.example');
    const { mergeMembers } = await client.data(MERGE, { into, from, reason: 'confirmed by Oak at the meetup' }, { token: admin });
    expect(mergeMembers).toMatchObject({ intoMemberId: into, fromMemberId: from, activitiesMoved: 2, reason: 'confirmed by Oak at the meetup' });
    expect(mergeMembers.mergedBy).toMatch(/^admin:/);

    const { memberForLogin } = await client.data(WHY, { login: 'OAK-RIVER' }, { token: admin });
    expect(memberForLogin.id).toBe(into);
    expect(memberForLogin.identities.map((identity: { platform: string; key: string; proofs: Array<{ kind: string }> }) => [identity.platform, identity.key, identity.proofs.map((proof) => proof.kind)])).toEqual([
      ['GITHUB', '4242', ['API']],
      ['EMAIL', 'oak@old-job.example', ['SELF', 'MERGE']],
    ]);
    expect(memberForLogin.merges).toEqual([
      expect.objectContaining({
        id: mergeMembers.id,
        into: { login: 'oak-river' },
        unmergedAt: null,
        before: { from: { login: null, displayName: 'oak-river' } },
      }),
    ]);
    // anonymous callers see no e-mail identity at all
    const anonymous = await client.data(WHY, { login: 'oak-river' });
    expect(anonymous.memberForLogin.identities.map((identity: { key: string }) => identity.key)).toEqual(['4242']);
    expect(anonymous.memberForLogin.merges[0].reason).toBeNull(); // an admin's words: admin tokens only

    const merged = await client.data(`query M($id: ID!) { member(id: $id) { mergedInto { login } } }`, { id: from });
    expect(merged.member.mergedInto).toEqual({ login: 'oak-river' });

    const { unmergeMember } = await client.data(UNMERGE, { id: mergeMembers.id }, { token: admin });
    expect(unmergeMember).toMatchObject({ id: mergeMembers.id, unmergeReason: 'two people' });
    expect(await memberOf('oak@old-job.example')).toBe(from);
    const standing = await client.data(`query M($id: ID!) { member(id: $id) { mergedInto { login } } }`, { id: from });
    expect(standing.member.mergedInto).toBeNull();
    const again = await client.request(UNMERGE, { id: mergeMembers.id }, { token: admin });
    expect(again.errors).toEqual([expect.objectContaining({ extensions: { code: 'CONFLICT' } })]);
  });

  it('answers BAD_USER_INPUT for a malformed login or a blank reason', async () => {
    const login = await client.request(WHY, { login: 'not a login' });
    expect(login.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })]);
    const reason = await client.request(MERGE, { into: await memberOf('4242'), from: await memberOf('oak@old-job.example'), reason: ' ' }, { token: admin });
    expect(reason.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })]);
  });

  it('lists a suggestion with its evidence for an admin, who rejects it', async () => {
    await app.get(MergeSuggestionService, { strict: false }).sweep();
    const { mergeSuggestions } = await client.data(SUGGESTIONS, {}, { token: admin });
    expect(mergeSuggestions.totalCount).toBe(1);
    const [{ node }] = mergeSuggestions.edges;
    expect(node).toMatchObject({
      evidenceKind: 'AUTHOR_NAME_IS_LOGIN',
      conclusive: false,
      status: 'OPEN',
      member: { login: 'oak-river' },
      otherMember: { login: null, displayName: 'oak-river' },
    });
    expect(JSON.parse(node.evidenceJson)).toMatchObject({ email: 'oak@old-job.example', login: 'oak-river', commits: 2 });
    const rejected = await client.data(`mutation { rejectMergeSuggestion(id: "${node.id}") { status decidedBy } }`, {}, { token: admin });
    expect(rejected.rejectMergeSuggestion.status).toBe('REJECTED');
    const after = await client.data(SUGGESTIONS, {}, { token: admin });
    expect(after.mergeSuggestions.totalCount).toBe(0);
  });
});
