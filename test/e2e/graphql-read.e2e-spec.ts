import { jest } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { ApiTokenService } from '#libs/auth';
import { MemberQueryService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import {
  activitySeries,
  createActivities,
  createEcosystem,
  createMember,
  createRepository,
  createTrackedSource,
  type CreatedMember,
} from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const DAY = 24 * 3_600_000;
/** An instant `days` days before the test started (activities are placed relative to now). */
const started = Date.now();
const ago = (days: number) => new Date(started - days * DAY);

describe('GraphQL read API (HTTP, seeded Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  let adminToken: string;
  const m: Record<string, CreatedMember> = {};

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });

    const rwkv = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    const blinkdl = await createTrackedSource(db, { ecosystemId: rwkv, kind: 'organization', name: 'BlinkDL' });
    const lm = await createRepository(db, { id: 1001, owner: 'BlinkDL', name: 'RWKV-LM', ecosystemId: rwkv, trackedSourceId: blinkdl });
    const chat = await createRepository(db, { id: 1002, owner: 'BlinkDL', name: 'ChatRWKV', ecosystemId: rwkv, trackedSourceId: blinkdl });
    await createRepository(db, { id: 1003, owner: 'someone', name: 'elsewhere' });

    m.alice = await createMember(db, { login: 'Alice-Dev', displayName: 'Alice', email: 'Alice@Example.org' });
    m.bob = await createMember(db, { login: 'bob' });
    // dave before carol, so insertion order cannot explain their tie order
    m.dave = await createMember(db, { login: 'dave' });
    m.carol = await createMember(db, { login: 'carol' });
    m.old = await createMember(db, { login: 'old-timer' });
    m.eve = await createMember(db, { login: null, displayName: 'Eve Example', email: 'eve@example.com' });
    m.frank = await createMember(db, { login: 'frank' });
    m.bot = await createMember(db, { kind: 'bot', login: 'dependabot[bot]' });
    m.ghost = await createMember(db, { kind: 'deleted' });

    await createActivities(db, [
      // alice: 6 commits, a pull request opened and merged (score 6×2 + 3 + 5 = 20)
      ...Array.from({ length: 6 }, (_, i) => ({ member: m.alice, repositoryId: lm, occurredAt: ago(1 + i) })),
      {
        member: m.alice,
        repositoryId: lm,
        type: 'pull_request_opened',
        occurredAt: ago(2.5),
        facts: { number: 7, title: 'Add RWKV-7', url: 'https://github.com/BlinkDL/RWKV-LM/pull/7' },
      },
      { member: m.alice, repositoryId: lm, type: 'pull_request_merged', occurredAt: ago(2.4), facts: { number: 7 } },
      // bob: 3 commits and 2 reviews in ChatRWKV (score 3×2 + 2×3 = 12)
      ...activitySeries(m.bob, chat, 3, ago(3)),
      ...activitySeries(m.bob, chat, 2, ago(1), 'review'),
      // carol and dave tie at 4 with different mixes
      ...activitySeries(m.carol, lm, 2, ago(10)),
      { member: m.dave, repositoryId: lm, occurredAt: ago(12) },
      ...activitySeries(m.dave, lm, 2, ago(12), 'issue_comment'),
      // old-timer: only more than a year ago (score 8 all time)
      ...activitySeries(m.old, lm, 4, ago(400)),
      { member: m.eve, repositoryId: lm, occurredAt: ago(20) },
      // a star that was removed again is not activity
      { member: m.frank, repositoryId: lm, type: 'star', occurredAt: ago(3), removedAt: ago(2) },
      // a bot and the deleted-user sentinel with far more activity than anyone
      ...activitySeries(m.bot, lm, 30, ago(1)),
      ...activitySeries(m.ghost, chat, 20, ago(1), 'issue_comment'),
    ]);

    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    adminToken = (await app.get(ApiTokenService, { strict: false }).create({ name: 'e2e', role: 'admin' })).secret;
  });

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const MEMBERS = `query Members($first: Int, $after: String, $filter: MemberFilter) {
    members(first: $first, after: $after, filter: $filter, orderBy: ACTIVITY_COUNT) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor activityCount node { id login displayName kind } }
    }
  }`;

  describe('members', () => {
    it('pages through members by activity count with cursors and a stable totalCount', async () => {
      const seen: Array<[string | null, number]> = [];
      let after: string | null = null;
      let pages = 0;
      for (;;) {
        const { members }: { members: any } = await client.data(MEMBERS, { first: 2, after });
        pages += 1;
        expect(members.totalCount).toBe(6);
        expect(members.pageInfo.hasPreviousPage).toBe(after !== null);
        seen.push(...members.edges.map((edge: any) => [edge.node.login ?? edge.node.displayName, edge.activityCount]));
        expect(members.pageInfo.endCursor).toBe(members.edges.at(-1).cursor);
        if (!members.pageInfo.hasNextPage) break;
        after = members.pageInfo.endCursor;
      }
      expect(pages).toBe(3);
      expect(seen).toEqual([
        ['Alice-Dev', 8],
        ['bob', 5],
        ['old-timer', 4],
        ['dave', 3],
        ['carol', 2],
        ['Eve Example', 1],
      ]);
    });

    it('leaves bots and the deleted-user sentinel out unless the filter asks for them', async () => {
      const persons = await client.data(MEMBERS, { first: 100 });
      const logins = persons.members.edges.map((edge: any) => edge.node.login);
      expect(logins).not.toContain('dependabot[bot]');
      expect(logins).not.toContain('ghost');

      const others = await client.data(MEMBERS, { filter: { kinds: ['BOT', 'DELETED'] } });
      expect(others.members.edges.map((edge: any) => [edge.node.kind, edge.activityCount])).toEqual([
        ['BOT', 30],
        ['DELETED', 20],
      ]);
    });

    it.each([
      ['a repository by owner/name in any case', { repository: 'blinkdl/CHATRWKV' }, [['bob', 5]]],
      [
        'a repository by GitHub id',
        { repository: '1001' },
        [
          ['Alice-Dev', 8],
          ['old-timer', 4],
          ['dave', 3],
          ['carol', 2],
          [null, 1],
        ],
      ],
      ['an activity type', { type: 'REVIEW' }, [['bob', 2]]],
      [
        'a since instant',
        { since: ago(365).toISOString() },
        [
          ['Alice-Dev', 8],
          ['bob', 5],
          ['dave', 3],
          ['carol', 2],
          [null, 1],
        ],
      ],
      ['a since/until window', { since: ago(11.5).toISOString(), until: ago(9.5).toISOString() }, [['carol', 2]]],
    ])('counts only activities matching %s', async (_label, filter, expected) => {
      const { members } = await client.data(MEMBERS, { first: 100, filter });
      expect(members.edges.map((edge: any) => [edge.node.login, edge.activityCount])).toEqual(expected);
      expect(members.totalCount).toBe(expected.length);
    });
  });

  describe('member', () => {
    const MEMBER = `query Member($id: ID, $login: String) {
      member(id: $id, login: $login) {
        id login displayName
        identities { platform githubLogin githubAccountId email displayName evidence }
        recentActivities(first: 3) { type occurredAt title number url sha repository { fullName } }
      }
    }`;

    it.each(['alice-dev', 'ALICE-DEV', 'Alice-Dev'])('finds a member by login in any case (%s)', async (login) => {
      const { member } = await client.data(MEMBER, { login });
      expect(member.id).toBe(m.alice.memberId);
      expect(member.login).toBe('Alice-Dev');
    });

    it('finds a member by id and answers null for an unknown login', async () => {
      expect((await client.data(MEMBER, { id: m.bob.memberId })).member.login).toBe('bob');
      expect((await client.data(MEMBER, { login: 'nobody-here' })).member).toBeNull();
    });

    it('lists recent activities newest first with their public facts', async () => {
      const { member } = await client.data(MEMBER, { login: 'alice-dev' });
      expect(member.recentActivities).toHaveLength(3);
      const times = member.recentActivities.map((activity: any) => Date.parse(activity.occurredAt));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(member.recentActivities.every((a: any) => a.repository.fullName === 'BlinkDL/RWKV-LM')).toBe(true);
      const { activities } = await client.data(
        `{ activities(first: 1, filter: { member: "Alice-Dev", type: PULL_REQUEST_OPENED }) { edges { node { title number url sha } } } }`,
      );
      expect(activities.edges[0].node).toEqual({
        title: 'Add RWKV-7',
        number: 7,
        url: 'https://github.com/BlinkDL/RWKV-LM/pull/7',
        sha: null,
      });
    });

    it('hides e-mail identities from a request without a token', async () => {
      const { member } = await client.data(MEMBER, { login: 'Alice-Dev' });
      expect(member.identities).toEqual([
        {
          platform: 'GITHUB',
          githubLogin: 'Alice-Dev',
          githubAccountId: String(m.alice.githubAccountId),
          email: null,
          displayName: 'Alice',
          evidence: 'SELF',
        },
      ]);
      const eve = await client.data(MEMBER, { id: m.eve.memberId });
      expect(eve.member.identities).toEqual([]);
      expect(JSON.stringify(eve)).not.toContain('@');
    });

    it('shows e-mail identities to a request with an admin token', async () => {
      const { member } = await client.data(MEMBER, { login: 'Alice-Dev' }, { token: adminToken });
      expect(member.identities.map((identity: any) => [identity.platform, identity.email, identity.evidence])).toEqual([
        ['GITHUB', null, 'SELF'],
        ['EMAIL', 'alice@example.org', 'API'],
      ]);
    });

    it('refuses a request naming neither id nor login with BAD_USER_INPUT', async () => {
      const response = await client.request(MEMBER, {});
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });
  });

  describe('activities', () => {
    const ACTIVITIES = `query Activities($first: Int, $after: String, $filter: ActivityFilter) {
      activities(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id type occurredAt member { login } repository { id fullName } } }
      }
    }`;

    it("pages through a member's activities newest first", async () => {
      const ids: string[] = [];
      const times: number[] = [];
      let after: string | null = null;
      for (;;) {
        const { activities }: { activities: any } = await client.data(ACTIVITIES, { first: 3, after, filter: { member: 'alice-dev' } });
        expect(activities.totalCount).toBe(8);
        for (const edge of activities.edges) {
          ids.push(edge.node.id);
          times.push(Date.parse(edge.node.occurredAt));
          expect(edge.node.member.login).toBe('Alice-Dev');
        }
        if (!activities.pageInfo.hasNextPage) break;
        after = activities.pageInfo.endCursor;
      }
      expect(new Set(ids).size).toBe(8);
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('filters by repository, type and window, and leaves undone stars out', async () => {
      const reviews = await client.data(ACTIVITIES, { filter: { repository: 'BlinkDL/ChatRWKV', type: 'REVIEW' } });
      expect(reviews.activities.totalCount).toBe(2);
      expect(reviews.activities.edges[0].node.repository).toEqual({ id: '1002', fullName: 'BlinkDL/ChatRWKV' });

      const old = await client.data(ACTIVITIES, { filter: { until: ago(365).toISOString() } });
      expect(old.activities.totalCount).toBe(4);
      expect(old.activities.edges.every((edge: any) => edge.node.member.login === 'old-timer')).toBe(true);

      const stars = await client.data(ACTIVITIES, { filter: { type: 'STAR' } });
      expect(stars.activities.totalCount).toBe(0);
    });
  });

  describe('leaderboard', () => {
    const LEADERBOARD = `query Board($period: PeriodInput, $repository: String, $first: Int) {
      leaderboard(period: $period, repository: $repository, first: $first) {
        since until
        entries { rank score commits pullRequestsOpened pullRequestsMerged reviews issuesOpened comments member { login kind } }
      }
    }`;
    const ranking = (board: any) => board.leaderboard.entries.map((e: any) => [e.rank, e.member.login, e.score]);

    it('ranks people of the last 365 days, never a bot or the deleted user, ties in a stable order', async () => {
      const board = await client.data(LEADERBOARD, { period: { preset: 'LAST_365_DAYS' } });
      expect(ranking(board)).toEqual([
        [1, 'Alice-Dev', 20],
        [2, 'bob', 12],
        [3, 'carol', 4],
        [4, 'dave', 4],
        [5, null, 2],
      ]);
      const [alice] = board.leaderboard.entries;
      expect(alice).toMatchObject({ commits: 6, pullRequestsOpened: 1, pullRequestsMerged: 1, reviews: 0, comments: 0 });
      expect(board.leaderboard.entries[3]).toMatchObject({ commits: 1, comments: 2 });
      expect(Date.parse(board.leaderboard.until) - Date.parse(board.leaderboard.since)).toBe(365 * DAY);
    });

    it('counts everything for ALL_TIME and cuts at first', async () => {
      const board = await client.data(LEADERBOARD, { period: { preset: 'ALL_TIME' }, first: 3 });
      expect(board.leaderboard.since).toBeNull();
      expect(ranking(board)).toEqual([
        [1, 'Alice-Dev', 20],
        [2, 'bob', 12],
        [3, 'old-timer', 8],
      ]);
    });

    it('ranks within explicit bounds and within one repository', async () => {
      const window = await client.data(LEADERBOARD, {
        period: { since: ago(11.5).toISOString(), until: ago(9.5).toISOString() },
      });
      expect(ranking(window)).toEqual([[1, 'carol', 4]]);

      const chat = await client.data(LEADERBOARD, { period: { preset: 'ALL_TIME' }, repository: 'blinkdl/chatrwkv' });
      expect(ranking(chat)).toEqual([[1, 'bob', 12]]);
    });

    it('defaults to the last 30 days', async () => {
      const board = await client.data(`{ leaderboard { since until entries { member { login } } } }`);
      expect(Date.parse(board.leaderboard.until) - Date.parse(board.leaderboard.since)).toBe(30 * DAY);
      expect(board.leaderboard.entries.map((e: any) => e.member.login)).toEqual(['Alice-Dev', 'bob', 'carol', 'dave', null]);
    });
  });

  describe('ecosystems and repositories', () => {
    it('answers an ecosystem with its tracked sources and repository count', async () => {
      const data = await client.data(
        `{ ecosystem(slug: "rwkv") { slug name repositoryCount trackedSources { kind name paused } }
           missing: ecosystem(slug: "nope") { slug } }`,
      );
      expect(data.ecosystem).toEqual({
        slug: 'rwkv',
        name: 'RWKV',
        repositoryCount: 2,
        trackedSources: [{ kind: 'ORGANIZATION', name: 'BlinkDL', paused: false }],
      });
      expect(data.missing).toBeNull();
    });

    it("lists all repositories or an ecosystem's, by full name", async () => {
      const all = await client.data(`{ repositories { fullName } }`);
      expect(all.repositories.map((r: any) => r.fullName)).toEqual([
        'BlinkDL/ChatRWKV',
        'BlinkDL/RWKV-LM',
        'someone/elsewhere',
      ]);
      const rwkv = await client.data(`{ repositories(ecosystem: "rwkv") { id fullName owner name } }`);
      expect(rwkv.repositories).toEqual([
        { id: '1002', fullName: 'BlinkDL/ChatRWKV', owner: 'BlinkDL', name: 'ChatRWKV' },
        { id: '1001', fullName: 'BlinkDL/RWKV-LM', owner: 'BlinkDL', name: 'RWKV-LM' },
      ]);
    });

    it('pages the repositories with first and offset, in the same order', async () => {
      const page = async (args: string) =>
        ((await client.data(`{ repositories(${args}) { fullName } }`)).repositories as Array<{ fullName: string }>).map((r) => r.fullName);
      expect(await page('first: 2')).toEqual(['BlinkDL/ChatRWKV', 'BlinkDL/RWKV-LM']);
      expect(await page('first: 2, offset: 2')).toEqual(['someone/elsewhere']);
      expect(await page('offset: 1')).toEqual(['BlinkDL/RWKV-LM', 'someone/elsewhere']);
      expect(await page('first: 5, offset: 3')).toEqual([]);
      expect(await page('ecosystem: "rwkv", first: 1, offset: 1')).toEqual(['BlinkDL/RWKV-LM']);
    });

    it('finds one repository by id or owner/name', async () => {
      const data = await client.data(`{ byId: repository(ref: "1001") { id fullName } byName: repository(ref: "blinkdl/chatrwkv") { id fullName } }`);
      expect(data).toEqual({ byId: { id: '1001', fullName: 'BlinkDL/RWKV-LM' }, byName: { id: '1002', fullName: 'BlinkDL/ChatRWKV' } });
    });
  });

  describe('errors', () => {
    it.each([
      ['a foreign cursor', `{ members(after: "bm90IGEgY3Vyc29y") { totalCount } }`, 'BAD_USER_INPUT', /Invalid cursor/],
      [
        'an unknown repository',
        `{ members(filter: { repository: "nobody/nothing" }) { totalCount } }`,
        'NOT_FOUND',
        /No tracked repository "nobody\/nothing"/,
      ],
      ['a malformed repository', `{ leaderboard(repository: "not a repo!") { until } }`, 'BAD_USER_INPUT', /Invalid repository/],
      [
        'a preset with bounds',
        `{ leaderboard(period: { preset: ALL_TIME, since: "2025-01-01T00:00:00Z" }) { until } }`,
        'BAD_USER_INPUT',
        /either preset or since\/until/,
      ],
      [
        'since after until',
        `{ activities(filter: { since: "2025-02-01T00:00:00Z", until: "2025-01-01T00:00:00Z" }) { totalCount } }`,
        'BAD_USER_INPUT',
        /since must be before until/,
      ],
      ['an unknown ecosystem', `{ repositories(ecosystem: "nope") { id } }`, 'NOT_FOUND', /No ecosystem with slug "nope"/],
      ['a negative offset', `{ repositories(offset: -1) { id } }`, 'BAD_USER_INPUT', /Invalid offset -1: give a whole number of 0 or more/],
      ['an unknown repository ref', `{ repository(ref: "nobody/nothing") { id } }`, 'NOT_FOUND', /No tracked repository "nobody\/nothing"/],
      ['a malformed repository ref', `{ repository(ref: "not a repo!") { id } }`, 'BAD_USER_INPUT', /Invalid repository/],
      ['an unknown member filter', `{ activities(filter: { member: "nobody-here" }) { totalCount } }`, 'NOT_FOUND', /No member/],
    ])('answers %s with a clear error and extensions.code', async (_label, query, code, message) => {
      const response = await client.request(query);
      expect(response.status).toBe(200);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions?.code).toBe(code);
      expect(response.errors![0].message).toMatch(message);
    });

    it.each([
      ['above the cap', `{ members(first: 100000) { totalCount } }`, /Query\.members: first must be from 1 to 100, not 100000/],
      ['of zero', `{ activities(first: 0) { totalCount } }`, /Query\.activities: first must be from 1 to 100, not 0/],
      ['of repositories above the cap', `{ repositories(first: 101) { id } }`, /Query\.repositories: first must be from 1 to 100, not 101/],
    ])('refuses first %s before running anything (400, BAD_USER_INPUT)', async (_label, query, message) => {
      const response = await client.request(query);
      expect(response.status).toBe(400);
      expect(response.errors).toHaveLength(1);
      expect(response.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0].message).toMatch(message);
    });

    it('refuses a malformed DateTime before running anything', async () => {
      const response = await client.request(`{ members(filter: { since: "last tuesday" }) { totalCount } }`);
      expect(response.errors?.[0].extensions?.code).toMatch(/BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED/);
    });

    it('answers an unknown, expired or malformed token with 401 UNAUTHENTICATED', async () => {
      for (const options of [{ token: 'cmb_not-a-real-token' }, { authorization: 'Basic dXNlcjpwYXNz' }]) {
        const response = await client.request(`{ members { totalCount } }`, {}, options);
        expect(response.status).toBe(401);
        expect(response.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
        expect(response.data ?? null).toBeNull();
      }
    });

    it('shows an unexpected failure as INTERNAL_SERVER_ERROR without its internals', async () => {
      const members = app.get(MemberQueryService, { strict: false });
      const spy = jest.spyOn(members, 'list').mockRejectedValueOnce(new Error('password=hunter2 at 10.0.0.5:5432'));
      try {
        const response = await client.request(`{ members { totalCount } }`);
        expect(response.errors).toEqual([
          expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: expect.any(String) } }),
        ]);
        expect(JSON.stringify(response)).not.toContain('hunter2');
      } finally {
        spy.mockRestore();
      }
    });
  });
});
