import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import {
  createActivities,
  createEcosystem,
  createMember,
  createRepository,
  createTrackedSource,
  type ActivityFields,
  type CreatedMember,
} from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');
const t = (hours: number) => new Date(T0 + hours * HOUR);
const WINDOW = { since: t(0).toISOString(), until: t(7 * 24).toISOString() };

/**
 * CHAOSS metrics and the issue / pull request flow over a small, hand-computed history in one
 * repository of an ecosystem (plus one outside it): expected values are worked out in comments.
 */
describe('GraphQL community metrics and issue / pull request flow (HTTP, seeded Postgres)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: NestFastifyApplication;
  let client: GraphqlClient;
  const m: Record<string, CreatedMember> = {};
  let lm: number;

  async function pullRequest(number: number, author: CreatedMember, created: Date, closed: Date | null = null, merged = false) {
    await db.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, merged_at, created_at, updated_at, closed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
      [lm * 1000 + number, lm, number, `PR ${number}`, closed ? 'closed' : 'open', author.githubAccountId, merged, merged ? closed : null, created, closed],
    );
  }

  async function issue(repositoryId: number, number: number, author: CreatedMember, created: Date) {
    await db.query(
      `INSERT INTO issue (id, repository_id, number, title, state, author_account_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)`,
      [repositoryId * 1000 + number, repositoryId, number, `Issue ${number}`, author.githubAccountId, created],
    );
  }

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    const eco = await createEcosystem(db, { slug: 'metrics-eco' });
    const source = await createTrackedSource(db, { ecosystemId: eco });
    lm = await createRepository(db, { id: 4001, owner: 'org', name: 'lm', ecosystemId: eco, trackedSourceId: source });
    const other = await createRepository(db, { id: 4002, owner: 'someone', name: 'else' });
    for (const login of ['alice', 'bob', 'carol', 'dave']) m[login] = await createMember(db, { login });
    m.bot = await createMember(db, { kind: 'bot', login: 'github-actions[bot]' });

    // PR 1 (alice): changes requested by bob 2 h after opening; open
    await pullRequest(1, m.alice, t(1));
    // PR 2 (alice): only a bot and alice herself answered; open
    await pullRequest(2, m.alice, t(2));
    // PR 3 (carol): approved by bob 4 h after opening (webhook: lower-case state); open
    await pullRequest(3, m.carol, t(5));
    // PR 4 (dave): bob commented after 1 h; merged
    await pullRequest(4, m.dave, t(6), t(10), true);
    // PR 5 (dave): opened before the window, closed unmerged in it
    await pullRequest(5, m.dave, t(-240), t(24));
    // issue 10 (carol): bob answered after 1 h; issue 11 (dave): unanswered; both open
    await issue(lm, 10, m.carol, t(1));
    await issue(lm, 11, m.dave, t(3));
    // an issue in a repository outside the ecosystem
    await issue(other, 1, m.alice, t(1));

    const a = (member: CreatedMember, type: string, hours: number, facts: Record<string, unknown> = {}, repositoryId = lm): ActivityFields => ({
      member,
      repositoryId,
      type,
      occurredAt: t(hours),
      facts,
    });
    await createActivities(db, [
      a(m.alice, 'commit', -720), // alice contributed a month before the window
      a(m.dave, 'pull_request_opened', -240, { number: 5 }),
      a(m.alice, 'pull_request_opened', 1, { number: 1 }),
      a(m.bob, 'review', 3, { number: 1, state: 'CHANGES_REQUESTED' }),
      a(m.alice, 'pull_request_opened', 2, { number: 2 }),
      a(m.bot, 'issue_comment', 2.1, { number: 2 }),
      a(m.alice, 'issue_comment', 2.2, { number: 2 }),
      a(m.carol, 'pull_request_opened', 5, { number: 3 }),
      a(m.bob, 'review', 9, { number: 3, state: 'approved' }),
      a(m.dave, 'pull_request_opened', 6, { number: 4 }),
      a(m.bob, 'issue_comment', 7, { number: 4 }),
      a(m.dave, 'pull_request_merged', 10, { number: 4 }),
      a(m.carol, 'issue_opened', 1, { number: 10 }),
      a(m.bob, 'issue_comment', 2, { number: 10 }),
      a(m.dave, 'issue_opened', 3, { number: 11 }),
      a(m.alice, 'issue_opened', 1, { number: 1 }, other),
      // dated before the issue it names (skewed imported history): not a response
      a(m.bob, 'issue_comment', 0.5, { number: 1 }, other),
      ...Array.from({ length: 20 }, (_, i) => a(m.bot, 'commit', 4 + i / 10)),
    ]);

    // bob was with Acme (manual) until t(5), then BigCo (profile); carol is with Acme (e-mail domain, open range)
    const org = async (name: string, customer: boolean) =>
      (await db.query(`INSERT INTO organization (name, is_customer) VALUES ($1, $2) RETURNING id`, [name, customer])).rows[0].id;
    const acme = await org('Acme', false);
    const bigco = await org('BigCo', true);
    const affiliate = (member: CreatedMember, organization: string, source: string, starts: Date | null, ends: Date | null) =>
      db.query(`INSERT INTO affiliation (member_id, organization_id, source, starts_at, ends_at) VALUES ($1, $2, $3, $4, $5)`, [
        member.memberId,
        organization,
        source,
        starts,
        ends,
      ]);
    await affiliate(m.bob, acme, 'manual', t(-1000), t(5));
    await affiliate(m.bob, bigco, 'profile', t(5), null);
    await affiliate(m.carol, acme, 'email_domain', null, null);

    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  const METRICS = `query Metrics($repository: String, $ecosystem: String, $period: PeriodInput) {
    communityMetrics(repository: $repository, ecosystem: $ecosystem, period: $period) {
      since until repositoryIds
      newContributors(first: 10) { count contributors { firstContributionAt member { login } } }
      timeToFirstResponse {
        issues { items responded unresponded medianSeconds p90Seconds meanSeconds }
        pullRequests { items responded unresponded medianSeconds p90Seconds meanSeconds }
        all { items responded unresponded medianSeconds }
      }
      changeRequestClosureRatio { ratio openDuringPeriod opened closed merged closedUnmerged }
      contributorAbsenceFactor { factor contributions contributorCount contributors { member { login } contributions share } }
      organizationalDiversity {
        contributions organizationCount unaffiliatedContributions unaffiliatedContributors
        organizations { name isCustomer contributions contributors share }
      }
    }
  }`;

  it('computes the CHAOSS metrics of a repository over a window', async () => {
    const { communityMetrics: metrics } = await client.data(METRICS, { repository: 'org/lm', period: WINDOW });
    expect(metrics.repositoryIds).toEqual(['4001']);
    // alice and dave contributed before the window; carol first at t(1), bob at t(2); the bot never counts
    expect(metrics.newContributors).toEqual({
      count: 2,
      contributors: [
        { firstContributionAt: t(1).toISOString(), member: { login: 'carol' } },
        { firstContributionAt: t(2).toISOString(), member: { login: 'bob' } },
      ],
    });
    // pull requests 1–4 opened in the window: responses after 2 h, none, 4 h, 1 h
    expect(metrics.timeToFirstResponse.pullRequests).toEqual({
      items: 4,
      responded: 3,
      unresponded: 1,
      medianSeconds: 2 * 3600,
      p90Seconds: Math.round((2 + 0.8 * 2) * 3600),
      meanSeconds: Math.round((7 / 3) * 3600),
    });
    // issues 10 and 11: after 1 h, none
    expect(metrics.timeToFirstResponse.issues).toMatchObject({ items: 2, responded: 1, unresponded: 1, medianSeconds: 3600 });
    expect(metrics.timeToFirstResponse.all).toMatchObject({ items: 6, responded: 4, unresponded: 2, medianSeconds: 1.5 * 3600 });
    // open during the window: 1, 2, 3, 4 and 5; closed in it: 4 (merged) and 5
    expect(metrics.changeRequestClosureRatio).toEqual({ ratio: 0.4, openDuringPeriod: 5, opened: 4, closed: 2, merged: 1, closedUnmerged: 1 });
    // contributions in the window: bob 4, alice 3 (2 pull requests, 1 comment), dave 3, carol 2 → 12; 4 + 3 ≥ 6
    const absence = metrics.contributorAbsenceFactor;
    expect([absence.factor, absence.contributions, absence.contributorCount]).toEqual([2, 12, 4]);
    expect(absence.contributors[0]).toEqual({ member: { login: 'bob' }, contributions: 4, share: 4 / 12 });
    expect(['alice', 'dave']).toContain(absence.contributors[1].member.login);
    // bob's comment at t(2) and review at t(3) go to Acme, his t(7) comment and t(9) review to BigCo; carol's 2 to Acme
    expect(metrics.organizationalDiversity).toEqual({
      contributions: 12,
      organizationCount: 2,
      unaffiliatedContributions: 6,
      unaffiliatedContributors: 2,
      organizations: [
        { name: 'Acme', isCustomer: false, contributions: 4, contributors: 2, share: 4 / 12 },
        { name: 'BigCo', isCustomer: true, contributions: 2, contributors: 1, share: 2 / 12 },
      ],
    });
  });

  it('scopes by ecosystem, and everything when neither is given', async () => {
    const eco = await client.data(METRICS, { ecosystem: 'metrics-eco', period: WINDOW });
    const all = await client.data(METRICS, { period: WINDOW });
    expect(eco.communityMetrics.timeToFirstResponse.issues.items).toBe(2);
    expect(all.communityMetrics.repositoryIds).toBeNull();
    expect(all.communityMetrics.timeToFirstResponse.issues).toMatchObject({ items: 3, responded: 1, unresponded: 2 });
    // alice's first contribution to the other repository is in the window, but she contributed before elsewhere
    expect(all.communityMetrics.newContributors.count).toBe(2);
  });

  it.each([
    ['both a repository and an ecosystem', { repository: 'org/lm', ecosystem: 'metrics-eco' }, 'BAD_USER_INPUT', /either repository or ecosystem/],
    ['an unknown ecosystem', { ecosystem: 'nope' }, 'NOT_FOUND', /No ecosystem with slug "nope"/],
    ['an unknown repository', { repository: 'no/such' }, 'NOT_FOUND', /No tracked repository/],
  ])('refuses %s with a clear error', async (_label, variables, code, message) => {
    const response = await client.request(`query M($repository: String, $ecosystem: String) {
      communityMetrics(repository: $repository, ecosystem: $ecosystem) { until } }`, variables);
    expect(response.errors?.[0].extensions?.code).toBe(code);
    expect(response.errors?.[0].message).toMatch(message);
  });

  const FLOW = `query Flow($repository: String, $ecosystem: String, $kind: FlowItemKind, $step: FlowStep, $first: Int, $after: String) {
    itemFlow(repository: $repository, ecosystem: $ecosystem, kind: $kind, step: $step, first: $first, after: $after) {
      asOf
      steps { kind step count medianWaitSeconds maxWaitSeconds }
      items { totalCount pageInfo { hasNextPage endCursor } edges { node { kind number step waitingSince waitedSeconds ageSeconds author { login } } } }
    }
  }`;

  it('shows where open issues and pull requests wait, longest first, page by page', async () => {
    const first = await client.data(FLOW, { repository: '4001', first: 3 });
    const flow = first.itemFlow;
    expect(flow.steps.map((s: any) => [s.kind, s.step, s.count])).toEqual([
      ['ISSUE', 'NO_RESPONSE', 1],
      ['ISSUE', 'RESPONDED', 1],
      ['PULL_REQUEST', 'NO_RESPONSE', 1],
      ['PULL_REQUEST', 'CHANGES_REQUESTED', 1],
      ['PULL_REQUEST', 'APPROVED', 1],
    ]);
    const asOf = Date.parse(flow.asOf);
    const approved = flow.steps.find((s: any) => s.step === 'APPROVED');
    expect(approved.maxWaitSeconds).toBe(Math.round((asOf - t(9).getTime()) / 1000));
    expect(flow.items.totalCount).toBe(5);
    const row = (edge: any) => [edge.node.kind, edge.node.number, edge.node.step, edge.node.waitingSince];
    expect(flow.items.edges.map(row)).toEqual([
      ['ISSUE', 10, 'RESPONDED', t(2).toISOString()],
      ['PULL_REQUEST', 2, 'NO_RESPONSE', t(2).toISOString()],
      ['ISSUE', 11, 'NO_RESPONSE', t(3).toISOString()],
    ]);
    expect(flow.items.edges[1].node.author).toEqual({ login: 'alice' });
    expect(flow.items.pageInfo.hasNextPage).toBe(true);
    const rest = await client.data(FLOW, { repository: '4001', first: 3, after: flow.items.pageInfo.endCursor });
    expect(rest.itemFlow.items.edges.map(row)).toEqual([
      ['PULL_REQUEST', 1, 'CHANGES_REQUESTED', t(3).toISOString()],
      ['PULL_REQUEST', 3, 'APPROVED', t(9).toISOString()],
    ]);
    expect(rest.itemFlow.items.pageInfo.hasNextPage).toBe(false);
  });

  it('filters the items by kind and step; counts stay per scope', async () => {
    const { itemFlow } = await client.data(FLOW, { ecosystem: 'metrics-eco', kind: 'PULL_REQUEST', step: 'NO_RESPONSE' });
    expect(itemFlow.items.edges.map((edge: any) => edge.node.number)).toEqual([2]);
    expect(itemFlow.steps).toHaveLength(5);
    const everything = await client.data(FLOW, { kind: 'ISSUE' });
    expect(everything.itemFlow.items.totalCount).toBe(3);
  });

  it('refuses a cursor of another connection', async () => {
    const response = await client.request(FLOW, { after: 'bm90LWEtY3Vyc29y' });
    expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
