import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { createActivities, createEcosystem, createMember, createRepository, type ActivityFields, type CreatedMember } from '../../../../test/helpers/factories.js';
import { seededRandom } from '../../../../test/helpers/seeded-random.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { TEST_REDIS_URL } from '../../../../test/helpers/test-queue-prefix.js';
import { FunnelCache, funnelServes } from './funnel-cache.js';
import { StageQueryService, type Funnel, type FunnelArgs } from './stage-query.service.js';
import { StageRulesService } from './stage-rules.service.js';
import { StageService } from './stage.service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The activities lie between START and START + 120 days; stages are evaluated as of EVALUATED. */
const START = Date.parse('2024-01-01T00:00:00Z');
const EVALUATED = new Date(START + 130 * DAY);

type Counts = Pick<Funnel, 'entered' | 'lapsed' | 'steps'>;

describe('StageQueryService.funnel with its Redis cache (Postgres + Redis)', () => {
  let env: TestEnv;
  let db: DataSource;
  let stages: StageService;
  let cached: StageQueryService;
  let uncached: StageQueryService;
  let people: CreatedMember[];
  let repos: number[];
  let organizations: string[];
  /** SQL statements the data source ran, in order. */
  let statements: string[];
  const random = seededRandom(20261130);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const pg = () => ({ query: async (sql: string, params?: unknown[]) => ({ rows: await db.query(sql, params) }) });
  /** Funnel computations among the statements (every path reads member_stage or its rollups; nextFunnelChange's probe of transitions is none). */
  const computations = () => statements.filter((sql) => /FROM member_stage/.test(sql) && !/^SELECT least\(/.test(sql)).length;

  /** The cached service's answer, which must equal a computation at the same instant. */
  async function both(args: Omit<FunnelArgs, 'ecosystem'>, now: Date): Promise<Funnel> {
    const fromCache = await cached.funnel({ ecosystem: 'cached', ...args }, now);
    const computed = await uncached.funnel({ ecosystem: 'cached', ...args }, now);
    expect({ args, now, funnel: fromCache }).toEqual({ args, now, funnel: computed });
    return fromCache;
  }

  /** How many funnel computations `ask` ran through the cached service. */
  async function computedBy(ask: () => Promise<unknown>): Promise<number> {
    const before = computations();
    await ask();
    return computations() - before;
  }

  const affiliate = async (fields: { startsAt?: Date | null; endsAt?: Date | null; organization?: string; member?: CreatedMember } = {}) =>
    db.query(`INSERT INTO affiliation (member_id, organization_id, source, starts_at, ends_at) VALUES ($1, $2, 'manual', $3, $4)`, [
      (fields.member ?? pick(people)).memberId,
      fields.organization ?? pick(organizations),
      fields.startsAt?.toISOString() ?? null,
      fields.endsAt?.toISOString() ?? null,
    ]);

  const evaluate = async (activities: ActivityFields[]) => stages.evaluateActivities(await createActivities(pg(), activities), { now: EVALUATED });

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    statements = [];
    const query = db.query.bind(db);
    db.query = ((sql: string, parameters?: unknown[]) => {
      statements.push(sql);
      return query(sql, parameters);
    }) as DataSource['query'];
    const rules = new StageRulesService(db);
    stages = new StageService(db, rules);
    const cache = new FunnelCache<Counts>({ redis: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 }), keyPrefix: `${env.queuePrefix}:funnel`, ttlSeconds: 60 });
    cached = new StageQueryService(db, rules, cache);
    uncached = new StageQueryService(db, rules);

    const ecosystemId = await createEcosystem(pg(), { slug: 'cached' });
    repos = [await createRepository(pg(), { ecosystemId }), await createRepository(pg(), { ecosystemId })];
    people = [];
    for (let i = 0; i < 24; i += 1) people.push(await createMember(pg()));
    organizations = [];
    for (let i = 0; i < 3; i += 1) {
      const [{ id }] = await db.query(`INSERT INTO organization (name, is_customer) VALUES ($1, $2) RETURNING id`, [`Funnel cache org ${i}`, i === 0]);
      organizations.push(id);
    }
    const activities: ActivityFields[] = [];
    for (let i = 0; i < 300; i += 1) {
      const type = pick(['star', 'issue_opened', 'commit', 'commit', 'pull_request_merged', 'review']);
      const repositoryId = pick(repos);
      const facts: Record<string, unknown> = { number: 100 + i };
      if (type === 'review') Object.assign(facts, { state: 'APPROVED' });
      activities.push({
        member: people[Math.floor(Math.pow(random(), 2) * people.length)],
        repositoryId,
        type,
        occurredAt: new Date(START + Math.floor(random() * 120 * DAY)),
        sourceKey: type === 'pull_request_merged' ? `pull_request:${repositoryId}:${100 + i}:merged` : undefined,
        facts,
      });
    }
    for (let i = 0; i < 8; i += 1) await affiliate({ startsAt: random() < 0.5 ? null : new Date(START + Math.floor(random() * 100 * DAY)) });
    await evaluate(activities);
    await stages.refreshCredits();
  }, 120_000);

  afterAll(async () => {
    await cached?.['cache']?.onModuleDestroy();
    await db?.destroy();
    await env?.teardown();
  });

  it('answers a repeated funnel from Redis, for every kind of filter', async () => {
    const now = new Date(START + 60 * DAY + 5 * HOUR);
    const kinds: Array<Omit<FunnelArgs, 'ecosystem'>> = [
      {},
      { nonPayingOnly: true },
      { organizationId: organizations[1] },
      { repository: String(repos[0]) },
      { repository: String(repos[1]), nonPayingOnly: true },
      { from: new Date(START + 10 * DAY), to: new Date(START + 50 * DAY + 7 * HOUR) },
      { from: new Date(START + 3 * DAY + HOUR), nonPayingOnly: true },
    ];
    for (const args of kinds) {
      const first = await both(args, now);
      expect(first.entered).toBeGreaterThan(0);
      expect(await computedBy(() => cached.funnel({ ecosystem: 'cached', ...args }, now))).toBe(0);
      expect(await cached.funnel({ ecosystem: 'cached', ...args }, now)).toEqual(first);
    }
  });

  it('is never served after a write that changes the answer: activity, affiliation, customer flag, credit refresh, deletion', async () => {
    const now = new Date(START + 125 * DAY);
    const asked: Array<Omit<FunnelArgs, 'ecosystem'>> = [{}, { nonPayingOnly: true }, { organizationId: organizations[0] }, { repository: String(repos[1]) }];
    const askAll = async () => {
      for (const args of asked) await both(args, now);
    };
    const newcomer = await createMember(pg());
    const writes: Array<[string, () => Promise<unknown>]> = [
      ["a newcomer's first activity", () => evaluate([{ member: newcomer, repositoryId: repos[1], type: 'commit', occurredAt: new Date(START + 110 * DAY) }])],
      ['the newcomer joins the customer', () => affiliate({ member: newcomer, organization: organizations[0] })],
      ['credits refreshed', () => stages.refreshCredits()],
      ['a second organisation becomes a customer', () => db.query(`UPDATE organization SET is_customer = true WHERE id = $1`, [organizations[1]])],
      ['credits refreshed again', () => stages.refreshCredits()],
      ["the newcomer's affiliations removed", () => db.query(`DELETE FROM affiliation WHERE member_id = $1`, [newcomer.memberId])],
      ['and their credits', () => stages.refreshCredits()],
    ];
    await askAll();
    const seen: number[] = [];
    for (const [, write] of writes) {
      await write();
      await askAll();
      seen.push((await cached.funnel({ ecosystem: 'cached', nonPayingOnly: true }, now)).entered);
    }
    // the newcomer entered, left the non-paying population with the customer, and came back
    expect(seen[0]).toBeGreaterThan(0);
    expect(new Set(seen).size).toBeGreaterThan(1);
  });

  it('serves a funnel of "now" while no stored instant passes, and computes again once one does', async () => {
    // the first activity instant after `at`: the funnel of "now" changes there, not before
    const [{ next }]: Array<{ next: Date }> = await db.query(`SELECT min(occurred_at) AS next FROM activity WHERE occurred_at > $1`, [new Date(START + 40 * DAY).toISOString()]);
    const at = new Date(next.getTime() - 2 * 60_000);
    await both({}, at);
    await both({ repository: String(repos[0]) }, at);
    expect(await computedBy(() => both({ repository: String(repos[0]) }, new Date(next.getTime())))).toBe(1); // the uncached one only
    expect(await computedBy(() => cached.funnel({ ecosystem: 'cached', repository: String(repos[0]) }, new Date(next.getTime() + 1)))).toBe(1);
    // a member whose only affiliation, with the customer, ends: they join the non-paying funnel then
    const member = await createMember(pg());
    await evaluate([{ member, repositoryId: repos[0], type: 'commit', occurredAt: new Date(START + 5 * DAY) }]);
    const ends = new Date(START + 90 * DAY + 12 * HOUR);
    await affiliate({ member, organization: organizations[0], startsAt: new Date(START), endsAt: ends });
    await stages.refreshCredits();
    const before = await both({ nonPayingOnly: true }, new Date(ends.getTime() - HOUR));
    const after = await both({ nonPayingOnly: true }, new Date(ends.getTime() + HOUR));
    expect(after.entered).toBe(before.entered + 1);
    // a funnel with a fixed end is named by it: later "nows" read the same entry
    const fixed = { to: new Date(START + 80 * DAY) };
    await both(fixed, new Date(START + 81 * DAY));
    expect(await computedBy(() => cached.funnel({ ecosystem: 'cached', ...fixed }, new Date(START + 200 * DAY)))).toBe(0);
  });

  it('agrees with a computation for random requests, instants and writes', async () => {
    let now = START + 20 * DAY;
    for (let round = 0; round < 60; round += 1) {
      now += Math.floor(random() * 3 * DAY);
      const r = random();
      const args: Omit<FunnelArgs, 'ecosystem'> =
        r < 0.3 ? {} : r < 0.5 ? { nonPayingOnly: true } : r < 0.7 ? { organizationId: pick(organizations) } : r < 0.85 ? { repository: String(pick(repos)) } : { to: new Date(now - DAY) };
      await both(args, new Date(now));
      if (random() < 0.15) await affiliate({ startsAt: new Date(now - Math.floor(random() * 30) * DAY), endsAt: random() < 0.5 ? null : new Date(now + Math.floor(random() * 5) * DAY) });
      if (random() < 0.1) await stages.refreshCredits();
      if (random() < 0.1) await evaluate([{ member: pick(people), repositoryId: pick(repos), type: 'commit', occurredAt: new Date(now + Math.floor(random() * 2 * DAY)) }]);
    }
  }, 120_000);

  it('shares one computation among concurrent requests', async () => {
    const now = new Date(START + 66 * DAY);
    const args = { ecosystem: 'cached', from: new Date(START + 2 * DAY + 3 * HOUR) };
    const count = await computedBy(() => Promise.all(Array.from({ length: 10 }, () => cached.funnel(args, now))));
    expect(count).toBe(1);
  });

  it('is computed every time while Redis does not answer', async () => {
    const nowhere = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const away = new StageQueryService(db, new StageRulesService(db), new FunnelCache<Counts>({ redis: nowhere, keyPrefix: `${env.queuePrefix}:away`, ttlSeconds: 60 }));
    try {
      const now = new Date(START + 70 * DAY);
      expect(await away.funnel({ ecosystem: 'cached', nonPayingOnly: true }, now)).toEqual(await uncached.funnel({ ecosystem: 'cached', nonPayingOnly: true }, now));
      expect(await computedBy(() => away.funnel({ ecosystem: 'cached', nonPayingOnly: true }, now))).toBe(1);
    } finally {
      nowhere.disconnect();
    }
  });
});

describe('funnelServes', () => {
  const cached = { to: '2024-05-01T10:00:00.000Z', validThrough: '2024-05-01T11:00:00.000Z', counts: {} };

  it('serves a funnel of "now" from its computation through its bound, and a fixed one always', () => {
    expect(funnelServes(cached, new Date('2024-05-01T10:00:00.000Z'), true)).toBe(true);
    expect(funnelServes(cached, new Date('2024-05-01T11:00:00.000Z'), true)).toBe(true);
    expect(funnelServes(cached, new Date('2024-05-01T11:00:00.001Z'), true)).toBe(false);
    expect(funnelServes(cached, new Date('2024-05-01T09:59:59.999Z'), true)).toBe(false);
    expect(funnelServes({ ...cached, validThrough: null }, new Date('2024-05-01T23:00:00.000Z'), true)).toBe(true);
    expect(funnelServes(cached, new Date('2030-01-01T00:00:00.000Z'), false)).toBe(true);
  });
});
