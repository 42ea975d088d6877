import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { ActivityService, IdentityService, MergeSuggestionService, StageService, type ActivityInput } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const day = (n: number) => new Date(Date.now() - (n + 1) * 86_400_000);
const sha = (n: number) => n.toString(16).padStart(40, '0');

const commit = (n: number, actor: ActivityInput['actor'], sourceKey = `commit:${sha(n)}`): ActivityInput => ({
  type: 'commit',
  occurredAt: day(n % 20),
  repositoryId: 1,
  actor,
  source: 'api',
  sourceKey,
  facts: { sha: sha(n) },
});
const oak = { kind: 'commit-author', account: { id: 4242, login: 'oak-river', type: 'User' }, name: 'Oak', email: '4242+oak-river@users.noreply.github.com' } as const;
const oakByMail = { kind: 'commit-author', account: null, name: 'Oak River', email: 'oak@river.example' } as const;
const bot = { kind: 'github', account: { id: 41898282, login: 'github-actions[bot]', type: 'Bot' } } as const;

const MERGE = `mutation M($into: ID!, $from: ID!) { mergeMembers(into: $into, from: $from, reason: "probe") { id activitiesMoved } }`;
const LEADERBOARD = `query { leaderboard(first: 100) { entries { rank commits member { id login kind } } } }`;

/** GraphQL under hostile use: anonymous callers, malformed input, and rankings after merges. */
describe('GraphQL: merges and identities against anonymous callers and bad input', () => {
  let env: TestEnv;
  let db: DataSource;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let admin: string;
  let survivor: string;
  let merged: string;
  let suggestionId: string;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    const [ecosystem] = await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('oak', 'Oak') RETURNING id`);
    await db.query(`INSERT INTO repository (id, owner, name, full_name, ecosystem_id) VALUES (1, 'oak-river', 'parser', 'oak-river/parser', $1)`, [ecosystem.id]);
    const activities = new ActivityService(db, new IdentityService(db));
    await activities.record([
      ...[0, 1, 2].map((n) => commit(n, oak)),
      ...[3, 4].map((n) => commit(n, oakByMail)),
      // commit 0 again, credited to the address as a co-author: after a merge the survivor has it twice
      commit(0, oakByMail, `commit:${sha(0)}:co-author:oak@river.example`),
      ...[5, 6, 7, 8, 9, 10].map((n) => commit(n, bot)),
    ]);
    await db.query(
      `INSERT INTO git_commit (sha, repository_id, author_identity_id, author_name, authored_at)
       SELECT substr(a.source_key, 8, 40), 1, a.identity_id, 'oak-river', a.occurred_at FROM activity a JOIN identity i ON i.id = a.identity_id
        WHERE i.platform = 'email' AND a.source_key NOT LIKE '%co-author%'`,
    );
    await db.query(`INSERT INTO git_commit_repository (sha, repository_id) SELECT sha, 1 FROM git_commit`);
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    admin = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
    survivor = (await db.query(`SELECT member_id FROM github_account WHERE id = 4242`))[0].member_id;
    merged = (await db.query(`SELECT member_id FROM identity WHERE key = 'oak@river.example'`))[0].member_id;
    await app.get(StageService, { strict: false }).recomputeMembers([survivor, merged]);
    await app.get(MergeSuggestionService, { strict: false }).sweep();
    suggestionId = (await db.query(`SELECT id FROM member_merge_suggestion LIMIT 1`))[0].id;
  });

  afterAll(async () => {
    await app?.close();
    await db?.destroy();
    await env?.teardown();
  });

  const codes = (response: { errors?: Array<{ extensions?: { code?: string } }> }) => response.errors?.map((error) => error.extensions?.code);

  it('refuses every merge tool to anonymous callers and to unknown tokens', async () => {
    const mutations = [
      [MERGE, { into: survivor, from: merged }],
      [`mutation { unmergeMember(mergeId: "00000000-0000-4000-8000-000000000000") { id } }`, {}],
      [`mutation { acceptMergeSuggestion(id: "${suggestionId}") { id } }`, {}],
      [`mutation { rejectMergeSuggestion(id: "${suggestionId}") { id } }`, {}],
      [`query { mergeSuggestions { totalCount edges { node { evidenceJson } } } }`, {}],
    ] as const;
    for (const [query, variables] of mutations) {
      expect(codes(await client.request(query, variables))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await client.request(query, variables, { token: 'cmb_not-a-real-token' }))).toEqual(['UNAUTHENTICATED']);
    }
    expect(await db.query(`SELECT status FROM member_merge_suggestion WHERE id = $1`, [suggestionId])).toEqual([{ status: 'open' }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM member_merge`)).toEqual([{ n: 0 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM member_stage WHERE member_id = ANY($1::uuid[])`, [[survivor, merged]])).toEqual([{ n: 2 }]);
  });

  it('answers malformed ids, page sizes, cursors and unknown ids with clear errors, not 500s', async () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      [MERGE, { into: 'not-a-uuid', from: merged }, 'BAD_USER_INPUT'],
      [MERGE, { into: survivor, from: "1' OR '1'='1" }, 'BAD_USER_INPUT'],
      [MERGE, { into: survivor, from: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND'],
      [`mutation { unmergeMember(mergeId: "42") { id } }`, {}, 'BAD_USER_INPUT'],
      [`mutation { unmergeMember(mergeId: "00000000-0000-4000-8000-000000000000") { id } }`, {}, 'NOT_FOUND'],
      [`mutation { acceptMergeSuggestion(id: "nope") { id } }`, {}, 'BAD_USER_INPUT'],
      [`mutation { acceptMergeSuggestion(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, 'NOT_FOUND'],
      [`mutation { rejectMergeSuggestion(id: "00000000-0000-4000-8000-000000000000") { id } }`, {}, 'NOT_FOUND'],
      [`query { mergeSuggestions(first: 1000000) { totalCount } }`, {}, 'BAD_USER_INPUT'],
      [`query { mergeSuggestions(first: 0) { totalCount } }`, {}, 'BAD_USER_INPUT'],
      [`query { mergeSuggestions(after: "garbage") { totalCount } }`, {}, 'BAD_USER_INPUT'],
      [`query { memberForLogin(login: "${'x'.repeat(5000)}") { id } }`, {}, 'BAD_USER_INPUT'],
    ];
    for (const [query, variables, code] of cases) {
      const response = await client.request(query, variables, { token: admin });
      expect([query.slice(0, 60), codes(response)]).toEqual([query.slice(0, 60), [code]]);
    }
  });

  it('hides e-mail keys, addresses in proofs, and merge reasons from anonymous callers', async () => {
    const { mergeMembers } = await client.data(MERGE, { into: survivor, from: merged }, { token: admin });
    expect(mergeMembers.activitiesMoved).toBe(3);
    const query = `query M($id: ID!) { member(id: $id) {
      identities { platform key email proofs { kind detail } }
      merges { reason unmergeReason identityIds before { from { login displayName } } } } }`;
    const seen = JSON.stringify(await client.data(query, { id: survivor }));
    expect(seen).not.toContain('river.example');
    expect(seen).not.toContain('probe');
    const adminView = JSON.stringify(await client.data(query, { id: survivor }, { token: admin }));
    expect(adminView).toContain('oak@river.example');
    // the merged member itself shows nothing either
    expect(JSON.stringify(await client.data(query, { id: merged }))).not.toContain('river.example');
  });

  it('ranks the survivor once after the merge, the shared commit once, and never a bot', async () => {
    const { leaderboard } = await client.data(LEADERBOARD);
    const entries: Array<{ commits: number; member: { id: string; kind: string } }> = leaderboard.entries;
    expect(entries.map((entry) => [entry.member.id, entry.commits])).toEqual([[survivor, 5]]);
    expect(entries.some((entry) => entry.member.kind !== 'PERSON')).toBe(false);
    const members = await client.data(`query { members(first: 100) { edges { node { id kind } } } }`);
    const ids = members.members.edges.map((edge: { node: { id: string } }) => edge.node.id);
    expect(ids.filter((id: string) => id === survivor)).toHaveLength(1);
    expect(ids).not.toContain(merged);
    // the person enters the funnel once: the merged member's stage went with its activities
    const stages = await db.query(`SELECT member_id FROM member_stage WHERE member_id = ANY($1::uuid[])`, [[survivor, merged]]);
    expect(stages).toEqual([{ member_id: survivor }]);
  });
});
