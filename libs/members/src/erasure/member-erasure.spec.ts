import { DataSource } from 'typeorm';
import { AuditService } from '#libs/audit';
import { createEcosystem, createRepository } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { ActivityService } from '../activity.service.js';
import type { ActivityInput } from '../activity.types.js';
import { BulkIdentityResolver } from '../bulk-identity-resolver.js';
import { IdentityService } from '../identity.service.js';
import { MemberMergeService } from '../merges/member-merge.service.js';
import { LeaderboardService } from '../queries/leaderboard.service.js';
import { RepositoryQueryService } from '../queries/repository-query.service.js';
import { StageQueryService } from '../stages/stage-query.service.js';
import { StageRulesService } from '../stages/stage-rules.service.js';
import { StageService } from '../stages/stage.service.js';
import { MemberDataExportService } from './member-data-export.service.js';
import { ERASURE_LOOKUPS, MemberErasureService } from './member-erasure.service.js';

/** What must not be anywhere in the database once Oak's data is deleted. */
const OAK = {
  id: 9_100_501,
  login: 'Oak-River',
  name: 'Oakley Rivers',
  avatar: 'https://avatars.example/oak-river.png',
  work: 'oak@river-works.example',
  home: 'oakley.home@mail.example',
  homeName: 'Oakley R. at home',
};
const FERN = { id: 9_100_502, login: 'Fern-Leaf', name: 'Fern Leafson', email: 'fern@leaf.example' };

const sha = (n: number) => n.toString(16).padStart(40, '0');

/** Every text-like column of every table, scanned for `needle` (case-insensitive); hits as `table.column`. */
async function findText(db: DataSource, needle: string, skip: string[] = []): Promise<string[]> {
  const columns: Array<{ table_name: string; column_name: string }> = await db.query(
    `SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'jsonb', 'json', 'ARRAY', 'character varying')
        AND table_name NOT IN ('migrations')`,
  );
  const hits: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    if (skip.includes(table)) continue;
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM "${table}" WHERE strpos(lower("${column}"::text), lower($1)) > 0`, [needle]);
    if (n > 0) hits.push(`${table}.${column}`);
  }
  return hits;
}

describe('member data export and deletion (Postgres)', () => {
  let env: TestEnv;
  let db: DataSource;
  let identities: IdentityService;
  let activities: ActivityService;
  let erasure: MemberErasureService;
  let exports: MemberDataExportService;
  let stages: StageService;
  let stageQueries: StageQueryService;
  let leaderboards: LeaderboardService;
  let ecosystemSlug: string;
  let repositoryId: number;
  let oakId: string;
  let fernId: string;
  let shaSeq = 1;

  async function commit(author: { account: { id: number; login: string; name?: string } | null; name: string; email: string }, day: number, coAuthors: Array<{ name: string; email: string }> = []) {
    const commitSha = sha(shaSeq++);
    const at = new Date(Date.UTC(2025, 0, day));
    await db.query(
      `INSERT INTO git_commit (sha, repository_id, author_name, authored_at, message_headline, co_authors) VALUES ($1, $2, $3, $4, 'work', $5)`,
      [commitSha, repositoryId, author.name, at.toISOString(), JSON.stringify(coAuthors)],
    );
    await db.query(`INSERT INTO git_commit_repository (sha, repository_id) VALUES ($1, $2)`, [commitSha, repositoryId]);
    const input: ActivityInput = {
      type: 'commit',
      occurredAt: at,
      repositoryId,
      actor: { kind: 'commit-author', account: author.account ? { ...author.account, type: 'User' } : null, name: author.name, email: author.email },
      source: 'api',
      sourceKey: `commit:${commitSha}`,
      facts: { sha: commitSha, headline: 'work' },
    };
    await activities.record([input]);
    await db.query(
      `UPDATE git_commit g SET author_identity_id = a.identity_id FROM activity a WHERE a.source_key = 'commit:' || g.sha AND g.author_identity_id IS NULL`,
    );
    return commitSha;
  }

  const github = (who: { id: number; login: string; name?: string }, extra: Record<string, unknown> = {}) => ({
    kind: 'github' as const,
    account: { id: who.id, login: who.login, type: 'User', name: who.name ?? null, ...extra },
  });

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    identities = new IdentityService(db);
    activities = new ActivityService(db, identities);
    erasure = new MemberErasureService(db);
    exports = new MemberDataExportService(db);
    const rules = new StageRulesService(db);
    stages = new StageService(db, rules);
    stageQueries = new StageQueryService(db, rules);
    leaderboards = new LeaderboardService(db, new RepositoryQueryService(db));
    const pg = { query: (sql: string, params?: unknown[]) => db.query(sql, params).then((rows: unknown) => ({ rows: rows as never[] })) };
    const ecosystemId = await createEcosystem(pg, { slug: 'forest' });
    ecosystemSlug = 'forest';
    repositoryId = await createRepository(pg, { id: 9_200_001, owner: 'forest', name: 'canopy', ecosystemId });

    // Oak: a GitHub account seen by webhooks and the API, commits under a work address GitHub linked
    // to the account, and commits under a home address known only from git (merged in by an admin)
    const oak = await identities.resolve(github(OAK, { name: OAK.name, avatar_url: OAK.avatar }));
    oakId = oak!.memberId;
    const fern = await identities.resolve(github(FERN, { name: FERN.name }));
    fernId = fern!.memberId;
    for (let day = 1; day <= 4; day += 1) await commit({ account: OAK, name: OAK.name, email: OAK.work }, day * 7);
    await commit({ account: null, name: OAK.homeName, email: OAK.home }, 40, [{ name: FERN.name, email: FERN.email }]);
    await commit({ account: FERN, name: FERN.name, email: FERN.email }, 41, [{ name: OAK.homeName, email: OAK.home }]);
    const home = (await db.query(`SELECT member_id FROM identity WHERE platform = 'email' AND key = $1`, [OAK.home]))[0].member_id;
    await new MemberMergeService(db, { recomputeMembers: async () => undefined }).merge(oakId, home, {
      reason: `${OAK.homeName} is Oak`,
      actor: 'admin-token:test',
    });

    // Fern's pull request, merged by Oak; an issue Oak opened that Fern closed
    await activities.record([
      {
        type: 'pull_request_opened', occurredAt: new Date(Date.UTC(2025, 1, 1)), repositoryId, actor: github(FERN), source: 'webhook',
        sourceKey: `pull_request:${repositoryId}:7:opened`, facts: { number: 7, title: 'Fern fixes' },
      },
      {
        type: 'pull_request_merged', occurredAt: new Date(Date.UTC(2025, 1, 2)), repositoryId, actor: github(FERN), source: 'webhook',
        sourceKey: `pull_request:${repositoryId}:7:merged`, facts: { number: 7, merged_by: { id: OAK.id, login: OAK.login } },
      },
      {
        type: 'issue_opened', occurredAt: new Date(Date.UTC(2025, 1, 3)), repositoryId, actor: github(OAK), source: 'webhook',
        sourceKey: `issue:${repositoryId}:8:opened`, facts: { number: 8, title: 'Leaves fall' },
      },
      {
        type: 'issue_closed', occurredAt: new Date(Date.UTC(2025, 1, 4)), repositoryId, actor: github(FERN), source: 'api',
        sourceKey: `issue:${repositoryId}:8:closed:2025-02-04`, facts: { number: 8, author: OAK.login },
      },
    ]);
    await db.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, merged_at, merged_by_account_id, created_at, updated_at)
       VALUES (77, $1, 7, 'Fern fixes', 'closed', $2, true, '2025-02-02', $3, '2025-02-01', '2025-02-02')`,
      [repositoryId, FERN.id, OAK.id],
    );
    await db.query(
      `INSERT INTO issue (id, repository_id, number, title, state, author_account_id, created_at, updated_at, closed_at)
       VALUES (88, $1, 8, 'Leaves fall', 'closed', $2, '2025-02-03', '2025-02-04', '2025-02-04')`,
      [repositoryId, OAK.id],
    );
    // profile data, preferences, a digest, a session, a hackathon registration, a processed webhook
    const [org] = await db.query(`INSERT INTO organization (name, domains) VALUES ('River Works', '{river-works.example}') RETURNING id`);
    await db.query(`INSERT INTO affiliation (member_id, organization_id, source, evidence) VALUES ($1, $2, 'manual', $3)`, [
      oakId, org.id, JSON.stringify({ note: `set for ${OAK.login}` }),
    ]);
    await db.query(`INSERT INTO member_email_preference (member_id, email, digest_opt_in) VALUES ($1, $2, true)`, [oakId, OAK.work]);
    await db.query(
      `INSERT INTO digest_send (member_id, iso_week, status, email, message_id, smtp_reply) VALUES ($1, '2025-W06', 'sent', $2, 'm1@cambrian', $3)`,
      [oakId, OAK.work, `250 accepted for ${OAK.work}`],
    );
    await db.query(
      `INSERT INTO auth_session (token_hash, member_id, github_account_id, github_login, role, expires_at) VALUES ('h1', $1, $2, $3, 'member', now() + interval '1 day')`,
      [oakId, OAK.id, OAK.login],
    );
    const [hackathon] = await db.query(
      `INSERT INTO hackathon (slug, name, ecosystem_id, starts_at, ends_at) VALUES ('grove', 'Grove', $1, '2025-03-01', '2025-03-03') RETURNING id`,
      [ecosystemId],
    );
    await db.query(
      `INSERT INTO hackathon_registration (hackathon_id, member_id, skills, needs, email_consent) VALUES ($1, $2, '{oak-carving}', '{a GPU for Oakley}', true)`,
      [hackathon.id, oakId],
    );
    await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, status, payload) VALUES ('d-1', 'issues', 'processed', $1),
         ('d-2', 'issues', 'processed', $2)`,
      [
        JSON.stringify({ action: 'opened', sender: { id: OAK.id, login: OAK.login } }),
        JSON.stringify({ action: 'opened', sender: { id: FERN.id, login: FERN.login } }),
      ],
    );
    await stages.recomputeMembers([oakId, fernId]);
  });

  afterAll(async () => {
    await db?.destroy();
    await env?.teardown();
  });

  it("exports the member's profile, identities, addresses, activities and hackathon data, and nobody else's", async () => {
    const document = await exports.export(oakId, { activitiesFirst: 2 });
    const text = JSON.stringify(document);
    for (const own of [OAK.login, OAK.name, OAK.work, OAK.home, 'oak-carving', 'a GPU for Oakley', 'River Works']) expect(text).toContain(own);
    for (const other of [FERN.login, FERN.name, FERN.email, 'Fern fixes']) expect(text).not.toContain(other);
    expect(document.emailAddresses).toEqual([OAK.home, OAK.work].sort());
    expect(document.activities.total).toBe(6); // 5 commits and the issue
    expect(document.activities.byType).toEqual({ commit: 5, issue_opened: 1 });
    expect(document.sessions).toHaveLength(1);
    expect(text).not.toContain('token_hash');
    expect(document.identities.find((i) => i.key === OAK.work)?.proofs).toEqual([expect.objectContaining({ kind: 'api_link' })]);
    // pages: 2 + 2 + 2 items, oldest first, then no cursor
    const seen = [...document.activities.items];
    let cursor = document.activities.nextCursor;
    while (cursor) {
      const page = await exports.export(oakId, { activitiesFirst: 2, activitiesAfter: cursor });
      seen.push(...page.activities.items);
      cursor = page.activities.nextCursor;
    }
    expect(seen.map((a) => a.type)).toEqual(['commit', 'commit', 'commit', 'commit', 'commit', 'issue_opened']);
    // a merged member's id names the survivor's export
    const home = (await db.query(`SELECT id FROM member WHERE merged_into_id = $1`, [oakId]))[0].id;
    expect((await exports.export(home)).member.id).toBe(oakId);
    const streamed = await exports.exportStreamed(oakId, 4);
    const pages: number[] = [];
    for await (const page of streamed.pages) pages.push(page.length);
    expect(pages).toEqual([4, 2]);
    await expect(exports.export(oakId, { activitiesAfter: 'x' })).rejects.toThrow(/activitiesAfter/);
    await expect(exports.export(oakId, { activitiesFirst: 5001 })).rejects.toThrow(/activitiesFirst/);
  });

  it('deletes every name, login, address and avatar of the member, keeps the totals, and a second deletion changes nothing', async () => {
    const totals = async () => ({
      activities: await db.query(`SELECT member_id, type, count(*)::int AS n FROM activity GROUP BY 1, 2 ORDER BY 1, 2`),
      daily: await db.query(`SELECT member_id, type, sum(n)::int AS n FROM activity_daily GROUP BY 1, 2 ORDER BY 1, 2`).catch(() => []),
      stages: await db.query(`SELECT member_id, stage, first_contribution_at, maintainer_at FROM member_stage ORDER BY 1`),
      funnel: { ...(await stageQueries.funnel({ ecosystem: ecosystemSlug })), to: null },
      leaderboard: (await leaderboards.leaderboard({ period: { since: new Date(Date.UTC(2024, 0, 1)) } as never, first: 10 })).entries.map(
        ({ member, ...counts }) => ({ ...counts, memberId: member.id }),
      ),
    });
    // facts naming Oak by login: a push of a commit under an address nobody links to Oak (the
    // username beside it is Oak's), Oak's fork, an issue of Oak's closed by Fern as a webhook tells
    // it, and someone's merge commit of Oak's branch
    await activities.record([
      {
        type: 'commit', occurredAt: new Date(Date.UTC(2025, 1, 10)), repositoryId, source: 'webhook', sourceKey: `commit:${sha(9001)}`,
        actor: { kind: 'commit-author', account: null, name: 'laptop', email: 'someone@laptop.example' },
        facts: { sha: sha(9001), headline: 'tidy', login: OAK.login },
      },
      {
        type: 'fork', occurredAt: new Date(Date.UTC(2025, 1, 11)), repositoryId, actor: github(OAK), source: 'api', sourceKey: 'fork:9300001',
        facts: { fork_id: 9_300_001, full_name: `${OAK.login}/canopy` },
      },
      {
        type: 'issue_closed', occurredAt: new Date(Date.UTC(2025, 1, 12)), repositoryId, actor: github(FERN), source: 'webhook',
        sourceKey: `issue:${repositoryId}:10:closed:2025-02-12`, facts: { number: 10, author: { id: OAK.id, login: OAK.login } },
      },
      {
        type: 'commit', occurredAt: new Date(Date.UTC(2025, 1, 13)), repositoryId, source: 'api', sourceKey: `commit:${sha(9002)}`,
        actor: { kind: 'commit-author', account: null, name: 'laptop', email: 'someone@laptop.example' },
        facts: { sha: sha(9002), headline: `Merge pull request #7 from ${OAK.login}/fix-leaves`, merge: true },
      },
    ]);
    // the audit log: an admin registering Oak and merging Oak's home address in, a refused call naming
    // Oak, Oak's own change of a registration; and a row about Fern that stays as it is
    const audit = new AuditService(db);
    const admin = 'api-token:00000000-0000-4000-8000-000000000001';
    const home = (await db.query(`SELECT id FROM member WHERE merged_into_id = $1`, [oakId]))[0].id as string;
    const [grove] = await db.query(`SELECT id FROM hackathon WHERE slug = 'grove'`);
    const audited = async (actor: string, operation: string, target: { type: string; id: string }, args: unknown, before: unknown, after: unknown) => {
      const id = await audit.begin({ actor, actorRole: actor.startsWith('member:') ? 'member' : 'admin', requestId: `r-${operation}`, operation, target, arguments: args, before });
      await audit.complete(id, after instanceof Error ? { status: 'error', code: 'CONFLICT', message: after.message } : { status: 'ok', after });
    };
    await audited(admin, 'registerForHackathon', { type: 'hackathon', id: grove.id }, { hackathonId: grove.id, member: OAK.login, skills: ['oak-carving'], needs: ['a GPU for Oakley'] }, null, {
      memberId: oakId, skills: ['oak-carving'], needs: ['a GPU for Oakley'], emailConsent: true,
    });
    await audited(admin, 'mergeMembers', { type: 'member', id: OAK.login }, { into: OAK.login, from: home, reason: `${OAK.homeName} is Oak` }, {
      into: { id: oakId, login: OAK.login, displayName: OAK.name, avatarUrl: OAK.avatar, identities: [{ platform: 'email', key: '[email]' }] },
      from: { id: home, login: null, displayName: OAK.homeName },
    }, { id: oakId, login: OAK.login, displayName: OAK.name });
    await audited(admin, 'addJudge', { type: 'hackathon', id: grove.id }, { hackathon: 'grove', member: `@${OAK.login}` }, null, new Error(`${OAK.login} (${OAK.name}) is already registered in grove`));
    await audited(`member:${oakId}`, 'updateHackathonRegistration', { type: 'hackathon', id: grove.id }, { hackathonId: grove.id, member: oakId, interests: ['oak-carving'] }, null, { ok: true });
    await audited(admin, 'registerForHackathon', { type: 'hackathon', id: grove.id }, { hackathonId: grove.id, member: FERN.login, skills: ['fern-weaving'] }, null, { memberId: fernId });
    const auditRows = async () =>
      db.query(`SELECT id, occurred_at, completed_at, actor, actor_role, request_id, operation, target_type, status, error_code FROM audit_event ORDER BY id`);
    const auditBefore = await auditRows();

    const before = await totals();
    expect(before.stages.find((s: { member_id: string }) => s.member_id === oakId)?.maintainer_at).not.toBeNull();

    const first = await erasure.erase(oakId, `member:${oakId}`);
    expect(first).toMatchObject({ memberId: oakId, requestedBy: `member:${oakId}`, alreadyErased: false });
    expect(first.removed).toMatchObject({ identities: 3, githubAccounts: 1, affiliations: 1, sessions: 1, webhookPayloads: 1 });

    for (const needle of [OAK.login, OAK.name, OAK.work, OAK.home, OAK.homeName, OAK.avatar, 'oak-carving', 'a GPU for Oakley']) {
      expect({ needle, hits: await findText(db, needle) }).toEqual({ needle, hits: [] });
    }
    expect(await db.query(`SELECT 1 FROM github_account WHERE id = $1`, [OAK.id])).toEqual([]);
    expect(await db.query(`SELECT 1 FROM identity WHERE key = $1 OR key = $2 OR key = $3`, [String(OAK.id), OAK.work, OAK.home])).toEqual([]);
    // the audit rows stay (who did what when), with Oak's values replaced; Fern's row is as it was
    expect(await auditRows()).toEqual(auditBefore);
    const auditText = async (operation: string, member: string) =>
      (await db.query(`SELECT arguments, before, after, error_message, target_id FROM audit_event WHERE operation = $1 AND arguments::text LIKE $2`, [operation, `%${member}%`]))[0];
    expect(await auditText('registerForHackathon', '[erased]')).toMatchObject({
      arguments: { hackathonId: expect.any(String), member: '[erased]', skills: '[erased]', needs: '[erased]' },
      after: { memberId: oakId, skills: '[erased]', needs: '[erased]', emailConsent: '[erased]' },
    });
    expect(await auditText('mergeMembers', home)).toMatchObject({
      target_id: oakId,
      arguments: { into: '[erased]', from: home, reason: '[erased] is Oak' },
      before: { into: { id: oakId, login: '[erased]', displayName: '[erased]', avatarUrl: '[erased]', identities: '[erased]' } },
    });
    expect((await auditText('addJudge', '[erased]')).error_message).toBe('[erased] ([erased]) is already registered in grove');
    expect((await auditText('updateHackathonRegistration', oakId)).arguments).toMatchObject({ member: oakId, interests: '[erased]' });
    expect((await auditText('registerForHackathon', FERN.login)).arguments).toMatchObject({ member: FERN.login, skills: ['fern-weaving'] });
    // facts: the fork keeps its id, the push its sha, the merge commit its pull request number
    const facts = async (key: string) => (await db.query(`SELECT facts FROM activity WHERE source_key = $1`, [key]))[0].facts;
    expect(await facts(`commit:${sha(9001)}`)).toEqual({ sha: sha(9001), headline: 'tidy', login: null });
    expect(await facts('fork:9300001')).toEqual({ fork_id: 9_300_001, full_name: null });
    expect(await facts(`issue:${repositoryId}:10:closed:2025-02-12`)).toEqual({ number: 10, author: null });
    expect((await facts(`commit:${sha(9002)}`)).headline).toBe('Merge pull request #7 from (deleted member)');
    // Fern is untouched
    expect(await findText(db, FERN.login)).toEqual(expect.arrayContaining(['github_account.login', 'member.login']));
    expect(await findText(db, FERN.email)).toEqual(expect.arrayContaining(['identity.key']));

    const after = await totals();
    expect(after).toEqual(before);
    const [member] = await db.query(`SELECT display_name, login, kind, erased_at FROM member WHERE id = $1`, [oakId]);
    expect(member).toMatchObject({ display_name: 'Deleted member', login: null, kind: 'person' });
    const entry = (await leaderboards.leaderboard({ period: { since: new Date(Date.UTC(2024, 0, 1)) } as never, first: 10 })).entries.find(
      (e) => e.member.id === oakId,
    );
    expect(entry?.member).toMatchObject({ login: null, displayName: 'Deleted member', avatarUrl: null });
    // merging an erased member is refused
    await expect(
      new MemberMergeService(db, { recomputeMembers: async () => undefined }).merge(fernId, oakId, { reason: 'x', actor: 'admin-token:test' }),
    ).rejects.toThrow(/personal data deleted/);

    const snapshot = async () => ({
      rows: await db.query(`SELECT (SELECT count(*) FROM erasure_suppression)::int AS s, (SELECT count(*) FROM github_account)::int AS a,
                                   (SELECT count(*) FROM identity)::int AS i, (SELECT count(*) FROM member_erasure)::int AS e`),
      totals: await totals(),
    });
    const once = await snapshot();
    const second = await erasure.erase(oakId, 'api-token:00000000-0000-4000-8000-000000000002');
    expect(second).toMatchObject({ alreadyErased: true, requestedBy: `member:${oakId}`, removed: first.removed });
    expect(await snapshot()).toEqual(once);
    // the export of an erased member holds no personal data, and says when it was deleted
    const exported = JSON.stringify(await exports.export(oakId));
    for (const needle of [OAK.login, OAK.work, OAK.home]) expect(exported).not.toContain(needle);
    expect(exported).toContain('"completed_at"');
  });

  it('maps a later arrival of the account or an address to the anonymous member without storing it again', async () => {
    const activitiesBefore = (await db.query(`SELECT count(*)::int AS n FROM activity WHERE member_id = $1`, [oakId]))[0].n;
    // a webhook and a sync (serial resolver), and a GH Archive import (bulk resolver), of the same account and addresses
    const sighted = await identities.resolve(github({ ...OAK, login: 'Oak-Renamed' }, { name: OAK.name, avatar_url: OAK.avatar }));
    expect(sighted).toMatchObject({ memberId: oakId, erased: true });
    await activities.record([
      {
        type: 'issue_comment', occurredAt: new Date(Date.UTC(2025, 2, 1)), repositoryId, actor: github(OAK, { name: OAK.name }), source: 'webhook',
        sourceKey: `issue_comment:${repositoryId}:1`, facts: { number: 8 },
      },
      // the sync's closing of another issue of Oak's, by Fern (facts name the issue's author)
      {
        type: 'issue_closed', occurredAt: new Date(Date.UTC(2025, 2, 2)), repositoryId, actor: github(FERN), source: 'api',
        sourceKey: `issue:${repositoryId}:9:closed:2025-03-02`, facts: { number: 9, author: OAK.login, author_id: OAK.id },
      },
      // the same kinds of facts naming Oak by login, written again (webhooks, a re-sync): a push under an
      // address nobody links to Oak, Oak's fork of another repository, an issue closed (webhook shape),
      // a merge commit of Oak's branch, and a merged pull request naming Oak's login only (no account id:
      // with an id, the id alone decides, as GitHub gives released logins to later accounts)
      {
        type: 'commit', occurredAt: new Date(Date.UTC(2025, 2, 3)), repositoryId, source: 'webhook', sourceKey: `commit:${sha(9101)}`,
        actor: { kind: 'commit-author', account: null, name: 'laptop', email: 'someone@laptop.example' },
        facts: { sha: sha(9101), headline: 'tidy again', login: OAK.login.toUpperCase() },
      },
      {
        type: 'fork', occurredAt: new Date(Date.UTC(2025, 2, 4)), repositoryId, actor: github(OAK), source: 'webhook', sourceKey: 'fork:9300002',
        facts: { fork_id: 9_300_002, full_name: `${OAK.login}/canopy-2` },
      },
      {
        type: 'issue_closed', occurredAt: new Date(Date.UTC(2025, 2, 5)), repositoryId, actor: github(FERN), source: 'webhook',
        sourceKey: `issue:${repositoryId}:11:closed:2025-03-05`, facts: { number: 11, author: { id: OAK.id, login: 'Oak-Renamed' } },
      },
      {
        type: 'commit', occurredAt: new Date(Date.UTC(2025, 2, 6)), repositoryId, actor: github(FERN), source: 'api', sourceKey: `commit:${sha(9102)}`,
        facts: { sha: sha(9102), headline: `Merge pull request #12 from ${OAK.login}/more-leaves`, merge: true },
      },
      {
        type: 'pull_request_merged', occurredAt: new Date(Date.UTC(2025, 2, 7)), repositoryId, actor: github(FERN), source: 'gharchive',
        sourceKey: `pull_request:${repositoryId}:13:merged`, facts: { number: 13, merged_by: { login: OAK.login } },
      },
    ]);
    await commit({ account: OAK, name: OAK.name, email: OAK.work }, 60);
    await commit({ account: null, name: OAK.homeName, email: OAK.home }, 61);
    await commit({ account: null, name: OAK.name, email: `${OAK.id}+${OAK.login}@users.noreply.github.com` }, 62);
    // Fern's commit with Oak as co-author, and Fern's pull request merged by Oak, seen again
    await commit({ account: FERN, name: FERN.name, email: FERN.email }, 63, [{ name: OAK.name, email: OAK.work }]);
    await db.query(`UPDATE activity SET facts = facts || $2 WHERE source_key = $1`, [
      `pull_request:${repositoryId}:7:merged`,
      JSON.stringify({ merged_by: { id: OAK.id, login: OAK.login } }),
    ]);
    const bulk = new BulkIdentityResolver(db, { historicalLogins: true });
    const resolved = await bulk.resolveMany([
      github(OAK),
      { kind: 'commit-author', account: null, name: OAK.homeName, email: OAK.home.toUpperCase() },
      github(FERN),
    ]);
    expect(resolved.map((r) => r?.memberId)).toEqual([oakId, oakId, fernId]);
    expect(await identities.recordVerifiedEmail(FERN.id, OAK.home, 'test')).toMatchObject({ memberId: oakId, erased: true });

    expect((await db.query(`SELECT count(*)::int AS n FROM activity WHERE member_id = $1`, [oakId]))[0].n).toBe(activitiesBefore + 5);
    expect((await db.query(`SELECT facts FROM activity WHERE source_key = $1`, [`issue:${repositoryId}:9:closed:2025-03-02`]))[0].facts).toEqual({
      number: 9, author: null, author_id: null,
    });
    for (const needle of [OAK.login, 'Oak-Renamed', OAK.name, OAK.work, OAK.home, OAK.avatar]) {
      expect({ needle, hits: await findText(db, needle) }).toEqual({ needle, hits: [] });
    }
    const facts = async (key: string) => (await db.query(`SELECT facts FROM activity WHERE source_key = $1`, [key]))[0].facts;
    expect(await facts(`commit:${sha(9101)}`)).toEqual({ sha: sha(9101), headline: 'tidy again', login: null });
    expect(await facts('fork:9300002')).toEqual({ fork_id: 9_300_002, full_name: null });
    expect(await facts(`issue:${repositoryId}:11:closed:2025-03-05`)).toEqual({ number: 11, author: null });
    expect((await facts(`commit:${sha(9102)}`)).headline).toBe('Merge pull request #12 from (deleted member)');
    expect((await facts(`pull_request:${repositoryId}:13:merged`)).merged_by).toEqual({ login: null });
    expect(await db.query(`SELECT 1 FROM github_account WHERE id = $1`, [OAK.id])).toEqual([]);
    const [member] = await db.query(`SELECT display_name, login FROM member WHERE id = $1`, [oakId]);
    expect(member).toEqual({ display_name: 'Deleted member', login: null });
  });

  it("clears a delivery's payload once processed when it names the erased account or address, and keeps the others", async () => {
    const payloads = {
      oak: { action: 'created', sender: { id: OAK.id, login: 'Oak-Renamed' } },
      home: { ref: 'refs/heads/main', commits: [{ author: { name: OAK.homeName, email: OAK.home.toUpperCase() } }], sender: { id: FERN.id, login: FERN.login } },
      fern: { action: 'created', sender: { id: FERN.id, login: FERN.login }, repository: { id: OAK.id, full_name: 'forest/canopy' } },
      // a push by Fern of a commit whose author GitHub names only by username, under an unlinked address
      username: { ref: 'refs/heads/main', commits: [{ author: { name: 'laptop', email: 'someone@laptop.example', username: OAK.login } }], sender: { id: FERN.id, login: FERN.login } },
    };
    for (const [key, payload] of Object.entries(payloads)) {
      await db.query(`INSERT INTO webhook_delivery (delivery_id, event, status, payload) VALUES ($1, 'x', 'received', $2)`, [`late-${key}`, JSON.stringify(payload)]);
      await db.query(`UPDATE webhook_delivery SET status = 'processed' WHERE delivery_id = $1`, [`late-${key}`]);
    }
    const rows = await db.query(`SELECT delivery_id, payload::text AS payload FROM webhook_delivery WHERE delivery_id LIKE 'late-%' ORDER BY delivery_id`);
    expect(rows).toEqual([
      { delivery_id: 'late-fern', payload: JSON.stringify(payloads.fern) }, // a repository id equal to Oak's account id is no account
      { delivery_id: 'late-home', payload: '{"removed": "personal data deleted"}' },
      { delivery_id: 'late-oak', payload: '{"removed": "personal data deleted"}' },
      { delivery_id: 'late-username', payload: '{"removed": "personal data deleted"}' },
    ]);
  });
  it('finds what names a member through indexes, not by reading activity, webhook_delivery or audit_event whole (EXPLAIN)', async () => {
    // a larger database: 30,000 activities of another member (1 in 50 naming someone in its facts),
    // 3,000 processed deliveries and 3,000 audit rows, so that the planner weighs a scan against the indexes
    const bulk = await identities.resolve(github({ id: 9_100_999, login: 'Bulk-Bot' }));
    await db.query(
      `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key, facts)
       SELECT 'issue_comment', timestamp '2024-01-01' + g * interval '1 minute', $1, $2, $3, 'api', 'bulk:' || g,
              CASE WHEN g % 50 = 0 THEN jsonb_build_object('number', g, 'merged_by', jsonb_build_object('id', 5000000 + g, 'login', 'someone-' || g))
                   ELSE jsonb_build_object('number', g) END
         FROM generate_series(1, 30000) AS g`,
      [repositoryId, bulk!.identityId, bulk!.memberId],
    );
    await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, status, payload)
       SELECT 'bulk-' || g, 'issues', 'processed', json_build_object('action', 'opened', 'sender', json_build_object('id', g, 'login', 'user-' || g))
         FROM generate_series(1, 3000) AS g`,
    );
    await db.query(
      `INSERT INTO audit_event (actor, operation, target_type, target_id, arguments, status, completed_at)
       SELECT 'api-token:00000000-0000-4000-8000-000000000001', 'updateHackathon', 'hackathon', g::text, jsonb_build_object('name', 'event ' || g), 'ok', now()
         FROM generate_series(1, 3000) AS g`,
    );
    await db.query(`ANALYZE activity; ANALYZE webhook_delivery; ANALYZE audit_event`);

    // the statements a deletion of Fern would run
    const fernIdentities = (await db.query(`SELECT id FROM identity WHERE member_id = $1`, [fernId])).map((row: { id: string }) => row.id);
    const fern = FERN.login.toLowerCase();
    const statements: Array<[string, string, unknown[], string[]]> = [
      ['memberActivities', ERASURE_LOOKUPS.memberActivities, [fernIdentities, fernIdentities[0], [fernId]], ['activity_member_time']],
      ['activityFacts', ERASURE_LOOKUPS.activityFacts, [[`github:${FERN.id}`, `login:${fern}`]], ['activity_fact_people']],
      ['webhookPayloads', ERASURE_LOOKUPS.webhookPayloads, [[`login:${fern}`, `email:${FERN.email}`]], ['webhook_delivery_people']],
      [
        'auditEvents',
        ERASURE_LOOKUPS.auditEvents,
        [[fernId, fern], [fern, FERN.email], fern, ['login'], [fern], fernId, [`member:${fernId}`]],
        ['audit_event_mentions', 'audit_event_actor_idx', 'audit_event_target_idx'],
      ],
    ];
    interface PlanNode {
      'Node Type': string;
      'Relation Name'?: string;
      'Index Name'?: string;
      Plans?: PlanNode[];
    }
    const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
    for (const [name, sql, params, indexes] of statements) {
      const [{ 'QUERY PLAN': plan }] = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      const all = nodes((plan as Array<{ Plan: PlanNode }>)[0].Plan);
      const scans = all.filter((node) => ['activity', 'webhook_delivery', 'audit_event'].includes(node['Relation Name'] ?? '') && node['Node Type'] !== 'ModifyTable');
      expect({ name, seqScans: scans.filter((node) => node['Node Type'] === 'Seq Scan').length }).toEqual({ name, seqScans: 0 });
      expect({ name, indexes: [...new Set(all.map((node) => node['Index Name']).filter(Boolean))].sort() }).toEqual({ name, indexes: expect.arrayContaining(indexes) });
    }
  }, 300_000);
});
