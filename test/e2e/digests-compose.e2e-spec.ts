import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { compileMjml, DigestComposerService, digestMjml, digestView, DIGEST_MESSAGES, resolveDigestLocale, type DigestContent } from '#libs/digests';
import { pullRequestKey } from '../../libs/github/src/activity-keys.js';
import { StageService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createActivities, createEcosystem, createMember, createRepository, type CreatedMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const WEEK = '2026-W48';
const HOSTILE = '<img src=x onerror=alert(1)> Fix "quotes" & <b>bold</b>';
const links = { unsubscribeUrl: 'https://cambrian.example/unsubscribe?token=t', preferencesUrl: 'https://cambrian.example/preferences?token=t' };

describe('weekly digests: content from Postgres, rendering, and the admin preview over HTTP', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let adminToken: string;
  let composer: DigestComposerService;
  let alice: CreatedMember;
  let bob: CreatedMember;
  let carol: CreatedMember;
  let bot: CreatedMember;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e admin', role: 'admin' })).secret;
    composer = app.get(DigestComposerService, { strict: false });

    const rwkv = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    const other = await createEcosystem(db, { slug: 'other', name: 'Other' });
    const core = await createRepository(db, { ecosystemId: rwkv, owner: 'rwkv', name: 'core' });
    const tools = await createRepository(db, { ecosystemId: rwkv, owner: 'rwkv', name: 'tools' });
    const elsewhere = await createRepository(db, { ecosystemId: other, owner: 'other', name: 'lib' });
    alice = await createMember(db, { login: 'alice', displayName: 'Alice Liddell' });
    bob = await createMember(db, { login: 'bob', displayName: 'Bob' });
    carol = await createMember(db, { login: 'carol' });
    bot = await createMember(db, { kind: 'bot' });

    await db.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, merged_at, created_at, updated_at)
       VALUES (9001, $1, 5, $2, 'closed', $3, true, '2026-11-26T10:00:00Z', '2026-11-20T00:00:00Z', '2026-11-26T10:00:00Z'),
              (9002, $1, 6, 'Speed up the tokenizer', 'open', $4, false, NULL, '2026-11-20T00:00:00Z', '2026-11-25T00:00:00Z')`,
      [core, HOSTILE, alice.githubAccountId, bob.githubAccountId],
    );
    await db.query(
      `INSERT INTO issue (id, repository_id, number, title, state, author_account_id, labels, created_at, updated_at) VALUES
         (8001, $1, 11, 'Document the CLI', 'open', $2, '{"Good First Issue"}', '2026-11-10T00:00:00Z', '2026-11-10T00:00:00Z'),
         (8002, $1, 12, 'Flaky test on ARM', 'open', $2, '{bug}', '2026-11-10T00:00:00Z', '2026-11-10T00:00:00Z'),
         (8003, $1, 13, 'Old help request', 'closed', $2, '{"help wanted"}', '2026-11-10T00:00:00Z', '2026-11-10T00:00:00Z'),
         (8004, $1, 14, 'Her own request', 'open', $3, '{"help wanted"}', '2026-11-10T00:00:00Z', '2026-11-10T00:00:00Z'),
         (8005, $1, 15, 'Opened after the week', 'open', $2, '{"help wanted"}', '2026-12-05T00:00:00Z', '2026-12-05T00:00:00Z')`,
      [core, bob.githubAccountId, alice.githubAccountId],
    );
    const ids = await createActivities(db, [
      { member: alice, repositoryId: core, type: 'commit', occurredAt: '2026-10-01T10:00:00Z' },
      { member: alice, repositoryId: core, type: 'pull_request_merged', occurredAt: '2026-11-26T10:00:00Z', facts: { number: 5 }, sourceKey: pullRequestKey(core, 5, 'merged') },
      { member: alice, repositoryId: core, type: 'review', occurredAt: '2026-11-25T10:00:00Z', facts: { number: 6, state: 'APPROVED' } },
      { member: alice, repositoryId: tools, type: 'commit', occurredAt: '2026-11-24T10:00:00Z' },
      // Sunday 29 November 23:30 in Los Angeles (PST) is Monday 07:30 UTC: week 48 there, week 49 in UTC
      { member: alice, repositoryId: core, type: 'issue_opened', occurredAt: '2026-11-30T07:30:00Z', facts: { number: 7, title: 'Crash on Sunday night' } },
      { member: bob, repositoryId: core, type: 'commit', occurredAt: '2026-11-27T10:00:00Z' },
      { member: bob, repositoryId: core, type: 'release', occurredAt: '2026-11-27T12:00:00Z', facts: { tag_name: 'v1.2.0', name: 'Winter release', url: 'https://github.com/rwkv/core/releases/tag/v1.2.0' } },
      { member: carol, repositoryId: elsewhere, type: 'commit', occurredAt: '2026-06-01T10:00:00Z' },
      { member: bot, repositoryId: core, type: 'commit', occurredAt: '2026-11-25T10:00:00Z' },
    ]);
    await app.get(StageService, { strict: false }).evaluateActivities(ids, { now: new Date('2026-12-01T00:00:00Z') });

    // an upcoming hackathon with open registration, and one that finished this week with a team of Alice's
    const { rows: hackathons } = await db.query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at, registration_closes_at, updated_at) VALUES
         ($1, 'winter', 'RWKV Winter Hackathon', 'registration_open', '2026-12-12T01:00:00Z', '2026-12-14T01:00:00Z', '2026-12-10T15:59:00Z', now()),
         ($1, 'autumn', 'Autumn Sprint', 'finished', '2026-11-01T00:00:00Z', '2026-11-20T00:00:00Z', NULL, '2026-11-27T12:00:00Z')
       RETURNING id`,
      [rwkv],
    );
    const autumn = hackathons[1].id;
    const { rows: teams } = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, 'Tiny <Recurrent>', 'inv-1'), ($1, 'Others', 'inv-2') RETURNING id`, [autumn]);
    await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $3, $4), ($2, $3, $5)`, [teams[0].id, teams[1].id, autumn, alice.memberId, bob.memberId]);
    const { rows: resources } = await db.query(
      `INSERT INTO resource (hackathon_id, kind, name, sponsor, capacity, per_team_max) VALUES ($1, 'gpu_hours', 'A100 pool', 'Recursal', 100, 50) RETURNING id`,
      [autumn],
    );
    const { rows: runs } = await db.query(`INSERT INTO matching_run (hackathon_id, status, published_at) VALUES ($1, 'published', '2026-11-25T08:00:00Z') RETURNING id`, [autumn]);
    await db.query(`INSERT INTO allocation (run_id, team_id, resource_id, units) VALUES ($1, $2, $3, 40)`, [runs[0].id, teams[0].id, resources[0].id]);
    const { rows: submissions } = await db.query(
      `INSERT INTO submission (hackathon_id, team_id, title) VALUES ($1, $2, 'Tiny RNN'), ($1, $3, 'Other thing') RETURNING id`,
      [autumn, teams[0].id, teams[1].id],
    );
    const { rows: criteria } = await db.query(`INSERT INTO judging_criterion (hackathon_id, name, weight) VALUES ($1, 'Impact', 1) RETURNING id`, [autumn]);
    const { rows: judges } = await db.query(`INSERT INTO judge (hackathon_id, member_id) VALUES ($1, $2) RETURNING id`, [autumn, carol.memberId]);
    for (const [index, submission] of submissions.entries()) {
      await db.query(`INSERT INTO judge_assignment (judge_id, submission_id) VALUES ($1, $2)`, [judges[0].id, submission.id]);
      await db.query(`INSERT INTO judge_score (judge_id, submission_id, criterion_id, value) VALUES ($1, $2, $3, $4)`, [judges[0].id, submission.id, criteria[0].id, index === 0 ? 9 : 4]);
    }
    // the status change above bumped nothing, but keep the finish inside the week whatever a trigger does
    await db.query(`UPDATE hackathon SET updated_at = '2026-11-27T12:00:00Z' WHERE id = $1`, [autumn]);
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const contentOf = async (member: CreatedMember, timeZone: string): Promise<DigestContent> => {
    const [loaded] = await composer.contents([{ recipient: { memberId: member.memberId, email: 'x@example.org', locale: 'en', timeZone }, links }], WEEK);
    if (loaded.kind !== 'content') throw new Error(loaded.reason);
    return loaded.content;
  };

  it("reads the member's week: merged pull requests, reviews, issues and the first contribution to a repository", async () => {
    const content = await contentOf(alice, 'America/Los_Angeles');
    expect(content.yourWeek.merged).toEqual([
      { repository: 'rwkv/core', number: 5, title: HOSTILE, url: 'https://github.com/rwkv/core/pull/5', at: new Date('2026-11-26T10:00:00Z') },
    ]);
    expect(content.yourWeek.reviews).toMatchObject([{ repository: 'rwkv/core', number: 6, title: 'Speed up the tokenizer', state: 'APPROVED' }]);
    expect(content.yourWeek.issuesOpened).toMatchObject([{ number: 7, title: 'Crash on Sunday night', url: 'https://github.com/rwkv/core/issues/7' }]);
    // rwkv/core had a commit of hers in October; rwkv/tools is new to her this week
    expect(content.yourWeek.firstContributions.map((f) => f.repository)).toEqual(['rwkv/tools']);
    expect(content.yourWeek.commits).toBe(1);
  });

  it('puts an activity at Sunday 23:30 local time in that week, not the next', async () => {
    expect((await contentOf(alice, 'America/Los_Angeles')).yourWeek.issuesOpened).toHaveLength(1);
    // the same instant is Monday in UTC: week 49
    expect((await contentOf(alice, 'UTC')).yourWeek.issuesOpened).toHaveLength(0);
  });

  it('computes the path from the stage rules in force, and tells a rank only among enough active members', async () => {
    const content = await contentOf(alice, 'UTC');
    // contributions in the weeks of 28 September and 23 November: one more within three weeks makes 3 of 12
    expect(content.path).toMatchObject({
      stage: 'FIRST_TIME_CONTRIBUTOR',
      next: { kind: 'regular', needed: 1, withinWeeks: 3, minWeeks: 3, windowWeeks: 12 },
      // first of the week, but of two: not worth telling
      rank: null,
    });
    await db.query(`INSERT INTO stage_rules (ecosystem_id, rules) SELECT id, $1 FROM ecosystem WHERE slug = 'rwkv'`, [
      JSON.stringify({ regular: { minWeeks: 4, windowWeeks: 12 }, maintainer: { minMergesOfOthers: 1, minApprovalsOfOthers: 3 }, lapsed: { afterWeeks: 26 } }),
    ]);
    try {
      expect((await contentOf(alice, 'UTC')).path?.next).toMatchObject({ kind: 'regular', needed: 2, minWeeks: 4 });
    } finally {
      await db.query(`DELETE FROM stage_rules`);
    }
  });

  it('offers newcomer issues of repositories she knows, the upcoming hackathon and her team’s news', async () => {
    const { nextSteps } = await contentOf(alice, 'UTC');
    // labels in any case; not closed, not a bug, not her own, not opened after the week
    expect(nextSteps.issues).toMatchObject([{ repository: 'rwkv/core', number: 11, labels: ['Good First Issue'] }]);
    expect(nextSteps.hackathons).toMatchObject([{ slug: 'winter', registrationOpen: true, registered: false, registrationClosesAt: new Date('2026-12-10T15:59:00Z') }]);
    expect(nextSteps.teams).toEqual([
      {
        hackathon: 'Autumn Sprint',
        team: 'Tiny <Recurrent>',
        allocations: [{ resource: 'A100 pool', kind: 'gpu_hours', units: 40, sponsor: 'Recursal' }],
        result: { rank: 1, of: 2, score: expect.any(Number) },
      },
    ]);
  });

  it("tells the community's week: first-time contributors and releases", async () => {
    const { community } = await contentOf(alice, 'UTC');
    expect(community.firstTimers).toEqual([{ name: 'Bob', login: 'bob' }]);
    expect(community.firstTimerCount).toBe(1);
    expect(community.releases).toMatchObject([{ repository: 'rwkv/core', tag: 'v1.2.0', name: 'Winter release' }]);
    // Bob is this week's first-timer: his own digest does not welcome him
    const his = await contentOf(bob, 'UTC');
    expect(his.community.firstTimers).toEqual([]);
    expect(his.community.firstTimerCount).toBe(0);
    expect(his.community.releases).toHaveLength(1);
  });

  it('composes nothing for a member with nothing this week, saying why; bots get none either', async () => {
    const [quiet, robot] = await composer.composeMany(
      [
        { recipient: { memberId: carol.memberId, email: 'c@example.org', locale: 'en', timeZone: 'UTC' }, links },
        { recipient: { memberId: bot.memberId, email: 'b@example.org', locale: 'en', timeZone: 'UTC' }, links },
      ],
      WEEK,
    );
    expect(quiet.kind).toBe('empty');
    expect(quiet.kind === 'empty' && quiet.reason).toMatch(/^no activity in 2026-W48 .* and nothing to offer: no open good first issue/);
    expect(robot.kind === 'empty' && robot.reason).toMatch(/is a bot: digests go to persons only/);
  });

  it('renders both locales with the hostile title escaped, and valid MJML behind the HTML', async () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const composed = await composer.compose({ memberId: alice.memberId, email: 'a@example.org', locale, timeZone: 'America/Los_Angeles' }, WEEK, links);
      if (composed.kind !== 'digest') throw new Error(composed.reason);
      const { html, text, subject } = composed.rendered;
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<Recurrent>');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; Fix &quot;quotes&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
      expect(html).toContain('href="https://cambrian.example/unsubscribe?token=t"');
      expect(text).toContain('https://github.com/rwkv/core/issues/11');
      if (locale === 'en') {
        expect(subject).toBe('Your week 48 in RWKV: your first contribution to rwkv/tools');
        expect(text).toContain('Crash on Sunday night — rwkv/core#7 · Sun 29 Nov, 23:30');
        expect(text).toContain('1 more accepted contribution in the next 3 weeks makes you a regular contributor.');
        expect(text).toContain('Autumn Sprint has its results: Tiny <Recurrent> placed #1 of 2.');
      } else {
        expect(subject).toBe('你在 RWKV 的第 48 周：你为 rwkv/tools 做出了第一次贡献');
        expect(text).toContain('11月29日 周日 23:30');
        expect(text).toContain('在接下来的 3 周内再有 1 次贡献被接受，你就会成为活跃贡献者。');
      }
    }
    const content = await contentOf(alice, 'Asia/Shanghai');
    const view = digestView(content, DIGEST_MESSAGES['zh-CN'], links);
    await expect(compileMjml(digestMjml('zh-CN', view.slots))).resolves.toContain('<!doctype html>');
  });

  it('refuses a malformed week, an unknown member and an unknown time zone, naming them', async () => {
    const recipient = { memberId: alice.memberId, email: 'a@example.org', locale: 'en' as const, timeZone: 'UTC' };
    await expect(composer.compose(recipient, '2026-48', links)).rejects.toThrow('"2026-48" is not an ISO week');
    await expect(composer.compose({ ...recipient, memberId: '00000000-0000-4000-8000-000000000000' }, WEEK, links)).rejects.toThrow(
      'Unknown member: 00000000-0000-4000-8000-000000000000',
    );
    await expect(composer.compose({ ...recipient, timeZone: 'Mars/Olympus' }, WEEK, links)).rejects.toThrow('"Mars/Olympus" is not an IANA time zone');
  });

  describe('GraphQL preview', () => {
    const PREVIEW = `query($member: ID!, $week: String!, $locale: String, $timeZone: String) {
      digestPreview(member: $member, week: $week, locale: $locale, timeZone: $timeZone) {
        member week locale timeZone weekStart weekEnd hasDigest subject html text emptyReason } }`;

    it('previews any member’s week for an admin, in the ecosystem’s default locale unless asked', async () => {
      const en = (await client.data(PREVIEW, { member: alice.memberId, week: WEEK, timeZone: 'America/Los_Angeles' }, { token: adminToken })).digestPreview;
      expect(en).toMatchObject({ locale: 'en', timeZone: 'America/Los_Angeles', weekStart: '2026-11-23T08:00:00.000Z', weekEnd: '2026-11-30T08:00:00.000Z', hasDigest: true });
      expect(en.subject).toBe('Your week 48 in RWKV: your first contribution to rwkv/tools');
      expect(en.text).toContain('Crash on Sunday night');
      expect(en.html).toContain('&lt;img src=x');

      const set = await client.data(
        `mutation { setEcosystemDigestDefaults(ecosystem: "rwkv", locale: "zh-CN", timeZone: "Asia/Shanghai") { ecosystem locale timeZone } }`,
        {},
        { token: adminToken },
      );
      expect(set.setEcosystemDigestDefaults).toEqual({ ecosystem: 'rwkv', locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
      const zh = (await client.data(PREVIEW, { member: alice.memberId, week: WEEK }, { token: adminToken })).digestPreview;
      expect(zh).toMatchObject({ locale: 'zh-CN', timeZone: 'Asia/Shanghai', hasDigest: true });
      expect(zh.subject).toMatch(/^你在 RWKV 的第 48 周/);
      // a member's own setting wins over the ecosystem default
      expect(resolveDigestLocale('en', 'zh-CN')).toBe('en');
      expect(resolveDigestLocale(null, 'zh-CN')).toBe('zh-CN');

      const quiet = (await client.data(PREVIEW, { member: carol.memberId, week: WEEK }, { token: adminToken })).digestPreview;
      expect(quiet).toMatchObject({ hasDigest: false, subject: null, html: null, text: null });
      expect(quiet.emptyReason).toMatch(/^no activity in 2026-W48/);
    });

    it('refuses callers without an admin token', async () => {
      const anonymous = await client.request(PREVIEW, { member: alice.memberId, week: WEEK });
      expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data).toBeNull();
      const mutation = await client.request(`mutation { setEcosystemDigestDefaults(ecosystem: "rwkv", locale: "en") { locale } }`);
      expect(mutation.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      [{ week: 'W48' }, 'BAD_USER_INPUT', '"W48" is not an ISO week'],
      [{ week: '2025-W53' }, 'BAD_USER_INPUT', '2025 has weeks W01 to W52'],
      [{ timeZone: 'Mars/Olympus' }, 'BAD_USER_INPUT', '"Mars/Olympus" is not an IANA time zone'],
      [{ locale: 'fr' }, 'BAD_USER_INPUT', '"fr" is not a digest locale: use one of en, zh-CN'],
      [{ member: 'alice' }, 'BAD_USER_INPUT', '"alice" is not a member id'],
      [{ member: '00000000-0000-4000-8000-000000000000' }, 'NOT_FOUND', 'Unknown member'],
    ])('answers %j with %s', async (change, code, message) => {
      const response = await client.request(PREVIEW, { member: alice.memberId, week: WEEK, ...change }, { token: adminToken });
      expect(response.errors?.[0].extensions?.code).toBe(code);
      expect(response.errors?.[0].message).toContain(message);
    });
  });
});
