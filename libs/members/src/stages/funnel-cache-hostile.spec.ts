import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type { CambrianConfig } from '#libs/config';
import { createActivities, createEcosystem, createMember, createRepository, type ActivityFields } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { TEST_REDIS_URL } from '../../../../test/helpers/test-queue-prefix.js';
import { FunnelCache } from './funnel-cache.js';
import { funnelCacheProvider } from './funnel-cache.provider.js';
import { StageQueryService, type Funnel, type FunnelArgs } from './stage-query.service.js';
import { StageRulesService } from './stage-rules.service.js';
import { StageService } from './stage.service.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The default `lapsed.afterWeeks` (stage-rules.ts). */
const LAPSE_WEEKS = 26;

type Counts = Pick<Funnel, 'entered' | 'lapsed' | 'steps'>;

/**
 * Ways to make the funnel cache serve something other than what a computation gives at the same
 * instant, or fail where the uncached funnel would not.
 */
describe('StageQueryService.funnel cache under hostile conditions (Postgres + Redis)', () => {
  let env: TestEnv;
  let db: DataSource;
  let redis: Redis;
  let rules: StageRulesService;
  let stages: StageService;
  let cached: StageQueryService;
  let uncached: StageQueryService;
  let ecosystem: string;
  let repositoryId: number;
  const pg = () => ({ query: async (sql: string, params?: unknown[]) => ({ rows: await db.query(sql, params) }) });

  async function both(args: Omit<FunnelArgs, 'ecosystem'>, now: Date): Promise<Funnel> {
    const fromCache = await cached.funnel({ ecosystem, ...args }, now);
    const computed = await uncached.funnel({ ecosystem, ...args }, now);
    expect({ args, now, funnel: fromCache }).toEqual({ args, now, funnel: computed });
    return fromCache;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    rules = new StageRulesService(db);
    stages = new StageService(db, rules);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    cached = new StageQueryService(db, rules, new FunnelCache<Counts>({ redis, keyPrefix: `${env.queuePrefix}:funnel`, ttlSeconds: 60 }));
    uncached = new StageQueryService(db, rules);
  }, 60_000);

  beforeEach(async () => {
    // each test its own ecosystem and repository (activities of others only make "next change" earlier)
    ecosystem = `hostile-${Math.random().toString(36).slice(2, 10)}`;
    const ecosystemId = await createEcosystem(pg(), { slug: ecosystem });
    repositoryId = await createRepository(pg(), { ecosystemId });
  });

  afterAll(async () => {
    await cached?.['cache']?.onModuleDestroy();
    await db?.destroy();
    await env?.teardown();
  });

  it('does not serve a funnel of "now" past a lapse that a future-dated activity put in the future', async () => {
    // a commit author date is whatever the author's clock said: a member's next activity can be dated after
    // "now". Their evaluation then stores the lapse that comes due before it ([due, next)), and `due` is no
    // activity instant: the cache's "next change" probe, which only looks at activities and affiliations, skips it
    const evaluatedAt = new Date(Date.UTC(2031, 2, 10, 12));
    const due = new Date(evaluatedAt.getTime() + HOUR);
    const member = await createMember(pg());
    const activities: ActivityFields[] = [
      { member, repositoryId, type: 'commit', occurredAt: new Date(due.getTime() - LAPSE_WEEKS * WEEK) },
      { member, repositoryId, type: 'commit', occurredAt: new Date(evaluatedAt.getTime() + 3 * HOUR) },
    ];
    await stages.evaluateActivities(await createActivities(pg(), activities), { now: evaluatedAt });
    for (const args of [{ repository: String(repositoryId) }, { nonPayingOnly: true }]) {
      const before = await both(args, evaluatedAt);
      expect(before.lapsed).toBe(0);
      // between the lapse and the future-dated commit the member is LAPSED
      const during = await both(args, new Date(evaluatedAt.getTime() + 2 * HOUR));
      expect(during.lapsed).toBe(1);
    }
  });

  it('does not serve one database the funnel of another cloned from it (CREATE DATABASE TEMPLATE, a restored dump) sharing Redis', async () => {
    // the epoch is drawn once, by the migration: a clone or a restored dump carries it, and its counter
    // goes through the same values again with other rows (here: the test databases, all cloned from one template)
    const twins = [await createTestEnv(), await createTestEnv()];
    const sources = await Promise.all(
      twins.map((twin) => new DataSource({ type: 'postgres', url: twin.database.url, extra: { options: twin.database.options } }).initialize()),
    );
    try {
      const prefix = `${env.queuePrefix}:twins:funnel`;
      const services = sources.map((source) => new StageQueryService(source, new StageRulesService(source), new FunnelCache<Counts>({ redis, keyPrefix: prefix, ttlSeconds: 60 })));
      const query = (source: DataSource) => ({ query: async (sql: string, params?: unknown[]) => ({ rows: await source.query(sql, params) }) });
      const now = new Date(Date.UTC(2031, 0, 2));
      for (const source of sources) await createEcosystem(query(source), { slug: 'twin' });
      // one member in the first database only
      const [first] = sources;
      const twinRepository = await createRepository(query(first), { ecosystemId: (await first.query(`SELECT id FROM ecosystem WHERE slug = 'twin'`))[0].id });
      const member = await createMember(query(first));
      const ids = await createActivities(query(first), [{ member, repositoryId: twinRepository, type: 'commit', occurredAt: new Date(Date.UTC(2030, 5, 1)) }]);
      await new StageService(first, new StageRulesService(first)).evaluateActivities(ids, { now });
      // the second's counter catches up (any write to a funnel table)
      const counter = async (source: DataSource) => Number((await source.query(`SELECT version FROM stage_version`))[0].version);
      while ((await counter(sources[1])) < (await counter(first))) await sources[1].query(`UPDATE organization SET name = name WHERE false`);
      const args = { ecosystem: 'twin', to: new Date(Date.UTC(2031, 0, 1)) };
      expect((await services[0].funnel(args, now)).entered).toBe(1);
      expect(await services[1].funnel(args, now)).toEqual(await new StageQueryService(sources[1], new StageRulesService(sources[1])).funnel(args, now));
    } finally {
      for (const source of sources) await source.destroy();
      for (const twin of twins) await twin.teardown();
    }
  }, 60_000);

  it('follows writes that reach the funnel tables indirectly: the hourly lapse check, a cascade, a truncate, a savepoint', async () => {
    const evaluatedAt = new Date(Date.UTC(2031, 5, 1));
    const members = [await createMember(pg()), await createMember(pg()), await createMember(pg())];
    const activities: ActivityFields[] = members.map((member, i) => ({
      member,
      repositoryId,
      type: 'commit',
      occurredAt: new Date(evaluatedAt.getTime() - LAPSE_WEEKS * WEEK + (i + 1) * DAY),
    }));
    await stages.evaluateActivities(await createActivities(pg(), activities), { now: evaluatedAt });
    const asked: Array<Omit<FunnelArgs, 'ecosystem'>> = [{}, { repository: String(repositoryId) }, { nonPayingOnly: true }, { to: new Date(evaluatedAt.getTime() + 30 * DAY) }];
    const askAll = async (now: Date) => {
      for (const args of asked) await both(args, now);
    };
    const later = new Date(evaluatedAt.getTime() + 10 * DAY);
    await askAll(later);
    // the lapses came due: the hourly check stores them (the funnel of now without filters reads stored stages)
    expect(await stages.checkLapses({ now: later })).toBeGreaterThan(0);
    await askAll(later);
    await db.query(`DELETE FROM stage_member_repository WHERE member_id = $1`, [members[0].memberId]);
    await askAll(later);
    // rows of a funnel table deleted by a cascade (another ecosystem's): the cascaded statement fires its trigger
    const otherId = await createEcosystem(pg());
    const otherMember = await createMember(pg());
    const otherIds = await createActivities(pg(), [{ member: otherMember, repositoryId: await createRepository(pg(), { ecosystemId: otherId }), occurredAt: evaluatedAt }]);
    await stages.evaluateActivities(otherIds, { now: evaluatedAt });
    const version = async () => (await db.query(`SELECT version::text AS v FROM stage_version`))[0].v as string;
    const before = await version();
    await db.query(`DELETE FROM activity WHERE id = ANY($1::bigint[])`, [otherIds]);
    await db.query(`DELETE FROM ecosystem WHERE id = $1`, [otherId]);
    expect(await version()).not.toBe(before);
    await db.query(`TRUNCATE member_stage_cell`);
    await askAll(later);
    // a write kept after a savepoint whose own write (and mark) rolled back
    await db.transaction(async (manager) => {
      await manager.query(`SAVEPOINT s`);
      await manager.query(`UPDATE member_stage SET first_seen_at = first_seen_at WHERE member_id = $1`, [members[1].memberId]);
      await manager.query(`ROLLBACK TO SAVEPOINT s`);
      await manager.query(`DELETE FROM member_stage WHERE member_id = $1`, [members[1].memberId]);
    });
    await askAll(later);
  });

  it('counts the same population for a funnel of now with and without a filter that excludes no one, future-dated members included', async () => {
    // not the cache's: the unfiltered funnel of now sums member_stage_daily (every day, those after now
    // included) where the filtered paths count members first seen before `to`
    const now = new Date(Date.UTC(2031, 7, 1, 12));
    const members = [await createMember(pg()), await createMember(pg())];
    const activities: ActivityFields[] = [
      { member: members[0], repositoryId, type: 'commit', occurredAt: new Date(now.getTime() - 3 * DAY) },
      // a commit whose author's clock ran a week ahead
      { member: members[1], repositoryId, type: 'commit', occurredAt: new Date(now.getTime() + 7 * DAY) },
    ];
    await stages.evaluateActivities(await createActivities(pg(), activities), { now });
    const all = await uncached.funnel({ ecosystem }, now);
    const nonPaying = await uncached.funnel({ ecosystem, nonPayingOnly: true }, now);
    expect(nonPaying.entered).toBe(1);
    expect(all.entered).toBe(nonPaying.entered);
  });

  it('computes the funnel when the entry under its key is not JSON, or JSON of another shape', async () => {
    const args = { to: new Date(Date.UTC(2031, 0, 1)) };
    const now = new Date(Date.UTC(2031, 0, 2));
    const member = await createMember(pg());
    await stages.evaluateActivities(await createActivities(pg(), [{ member, repositoryId, type: 'commit', occurredAt: new Date(Date.UTC(2030, 5, 1)) }]), { now });
    const expected = await both(args, now);
    // what another release, a bit flip or an operator left under the key
    for (const garbage of ['{"entered":', '{"format":2}', '[]', 'null']) {
      const keys = await redis.keys(`${env.queuePrefix}:funnel:*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) await redis.set(key, garbage, 'EX', 60);
      await expect(cached.funnel({ ecosystem, ...args }, now)).resolves.toEqual(expected);
    }
  });

  it('computes the funnel when Redis accepts the connection and then does not answer', async () => {
    // a Redis that passes the ready check and then stalls (a long script, a paused or partitioned server)
    const sockets = new Set<Socket>();
    let readyChecks = 0;
    const server: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (data) => {
        // CLIENT SETINFO (answered OK) and the ready check's INFO; anything else (GET, SET): no answer
        for (const _ of data.toString().matchAll(/\$7\r\nSETINFO\r\n/gi)) socket.write('+OK\r\n');
        if (/\$4\r\ninfo\r\n/i.test(data.toString())) {
          const info = '# Server\r\nredis_version:7.2.0\r\nloading:0\r\n';
          socket.write(`$${Buffer.byteLength(info)}\r\n${info}\r\n`);
          readyChecks += 1;
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const config = { FUNNEL_CACHE_SECONDS: 60, REDIS_URL: `redis://127.0.0.1:${port}`, QUEUE_PREFIX: `${env.queuePrefix}-stalled` } as CambrianConfig;
    const cache = (funnelCacheProvider as { useFactory: (config: CambrianConfig) => FunnelCache<Counts> }).useFactory(config);
    const stalled = new StageQueryService(db, rules, cache);
    const connection = (cache['cache']['options'] as { redis: Redis }).redis;
    /** The request's answer, or 'hung' without one in 10 s (a liveness guard, not a timing). */
    const guarded = async <T>(request: Promise<T>): Promise<T | 'hung'> => {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), 10_000)));
      try {
        return await Promise.race([request, hung]);
      } finally {
        clearTimeout(timer);
      }
    };
    try {
      const now = new Date(Date.UTC(2031, 0, 2));
      const expected = await uncached.funnel({ ecosystem, nonPayingOnly: true }, now);
      // the first funnel opens the connection (it is computed; its SET, sent once the connection is
      // ready, is not answered)
      expect(await guarded(stalled.funnel({ ecosystem, nonPayingOnly: true }, now))).toEqual(expected);
      while (connection.status !== 'ready') await new Promise((resolve) => setTimeout(resolve, 20));
      expect(readyChecks).toBe(1);
      // the connection is ready: the GET is not answered either
      expect(await guarded(stalled.funnel({ ecosystem, nonPayingOnly: true }, now))).toEqual(expected);
    } finally {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
      connection.disconnect();
    }
  }, 30_000);
});
