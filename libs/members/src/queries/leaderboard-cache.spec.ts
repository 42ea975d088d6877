import { Redis } from 'ioredis';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { createActivities, createMember, createRepository, type CreatedMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { TEST_REDIS_URL } from '../../../../test/helpers/test-queue-prefix.js';
import { leaderboardCacheKey, LeaderboardCache, pageBounds, pageServesWindow, type CacheWindow } from './leaderboard-cache.js';
import { LeaderboardService, type LeaderboardArgs, type LeaderboardEntry } from './leaderboard.service.js';
import { RepositoryQueryService } from './repository-query.service.js';
import { seededRandom } from '../../../../test/helpers/seeded-random.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Now" of most requests: the activities lie in the 40 days before it. */
const NOW = Date.parse('2025-04-10T15:20:00Z');
const TYPES = ['commit', 'pull_request_opened', 'pull_request_merged', 'review', 'issue_opened', 'issue_comment', 'star'];

describe('LeaderboardService with its Redis cache (Postgres + Redis)', () => {
  let env: TestEnv;
  let pool: pg.Pool;
  let dataSource: DataSource;
  let redis: Redis;
  let cache: LeaderboardCache<LeaderboardEntry>;
  let cached: LeaderboardService;
  let uncached: LeaderboardService;
  let people: CreatedMember[];
  let repositories: number[];
  /** SQL statements the data source ran, in order. */
  let statements: string[];

  const version = async () => (await pool.query(`SELECT version::text FROM leaderboard_version`)).rows[0].version as string;
  const rankings = () => statements.filter((sql) => sql.includes('FETCH FIRST')).length;

  /** The cached service's answer, which must equal a computation at the same instant. */
  async function both(args: LeaderboardArgs, now: Date) {
    const fromCache = await cached.leaderboard(args, now);
    const computed = await uncached.leaderboard(args, now);
    expect(fromCache).toEqual(computed);
    return fromCache;
  }

  beforeAll(async () => {
    env = await createTestEnv();
    pool = new pg.Pool({ connectionString: env.database.url, max: 4 });
    dataSource = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    statements = [];
    const query = dataSource.query.bind(dataSource);
    dataSource.query = ((sql: string, parameters?: unknown[]) => {
      statements.push(sql);
      return query(sql, parameters);
    }) as DataSource['query'];
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    cache = new LeaderboardCache<LeaderboardEntry>({
      redis: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 }),
      keyPrefix: `${env.queuePrefix}:leaderboard`,
      ttlSeconds: 60,
    });
    const repositoryQueries = new RepositoryQueryService(dataSource);
    cached = new LeaderboardService(dataSource, repositoryQueries, cache);
    uncached = new LeaderboardService(dataSource, repositoryQueries);
    people = [];
    for (let i = 0; i < 8; i += 1) people.push(await createMember(pool, { login: `cache-person-${i}` }));
    repositories = [await createRepository(pool), await createRepository(pool)];
    const next = seededRandom(11);
    await createActivities(
      pool,
      Array.from({ length: 600 }, (_, index) => ({
        member: people[Math.floor(next() * people.length)],
        repositoryId: repositories[Math.floor(next() * repositories.length)],
        type: TYPES[Math.floor(next() * TYPES.length)],
        occurredAt: new Date(NOW - Math.floor(next() * 40 * DAY)),
        sourceKey: `cache:${index}`,
      })),
    );
  }, 180_000);

  afterAll(async () => {
    const keys = await redis?.keys(`${env.queuePrefix}:*`);
    if (keys?.length) await redis.del(...keys);
    await redis?.quit();
    await cache?.close();
    await dataSource?.destroy();
    await pool?.end();
    await env?.teardown();
  });

  it('serves a second request from Redis, equal to a computation, for presets, fixed windows, repositories and weights', async () => {
    const cases: LeaderboardArgs[] = [
      {},
      { first: 3, period: { preset: 'LAST_7_DAYS' } },
      { first: 5, period: { preset: 'ALL_TIME' }, weights: { commits: 9, comments: 0 } },
      { period: { since: new Date(NOW - 12.5 * DAY), until: new Date(NOW - 2.25 * DAY) }, repository: String(repositories[1]) },
      { first: 100, period: { since: new Date(NOW - 20 * DAY) } },
    ];
    for (const args of cases) {
      const first = await both(args, new Date(NOW));
      expect(first.entries.length).toBeGreaterThan(0);
      const before = rankings();
      expect(await both(args, new Date(NOW))).toEqual(first);
      // the cached call ranked nothing; only the uncached one did
      expect(rankings() - before).toBe(1);
    }
  });

  it('bumps leaderboard_version at commit, not before, and not for a statement that changes nothing', async () => {
    const start = await version();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await createActivities(client, [{ member: people[0], repositoryId: repositories[0], occurredAt: new Date(NOW - DAY), sourceKey: 'cache:tx' }]);
      expect(await version()).toBe(start);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const afterInsert = await version();
    expect(BigInt(afterInsert)).toBe(BigInt(start) + 1n);
    await pool.query(`INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key)
      SELECT type, occurred_at, repository_id, identity_id, member_id, 'webhook', source_key FROM activity ON CONFLICT (source_key) DO NOTHING`);
    expect(await version()).toBe(afterInsert);
    const rolledBack = await pool.connect();
    try {
      await rolledBack.query('BEGIN');
      await rolledBack.query(`UPDATE member SET login = 'renamed' WHERE id = $1`, [people[1].memberId]);
      await rolledBack.query('ROLLBACK');
    } finally {
      rolledBack.release();
    }
    expect(await version()).toBe(afterInsert);
  });

  it('bumps once per committing transaction, with writers of the same cells at once', async () => {
    const start = BigInt(await version());
    const writers = Array.from({ length: 6 }, async (_, writer) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let statement = 0; statement < 3; statement += 1) {
          await createActivities(
            client,
            people.map((person, index) => ({
              member: person,
              repositoryId: repositories[(index + writer) % 2],
              occurredAt: new Date(NOW - (index % 3) * DAY),
              sourceKey: `cache:writer:${writer}:${statement}:${index}`,
            })),
          );
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    });
    await Promise.all(writers);
    expect(BigInt(await version())).toBe(start + 6n);
    expect((await pool.query(`SELECT count(*)::int AS n FROM leaderboard_change`)).rows[0].n).toBe(0);
    await pool.query(`DELETE FROM activity WHERE source_key LIKE 'cache:writer:%'`);
  });

  it('lets writers on different shards commit while another holds its shard; one on the same shard waits', async () => {
    const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
    const [holder, elsewhere, sameShard] = clients;
    // each writer its own member: their rollup rows (per member and day, and month) never meet
    let written = 0;
    const write = async (client: pg.PoolClient, person: number) =>
      createActivities(client, [{ member: people[person], repositoryId: repositories[0], occurredAt: new Date(NOW - DAY), sourceKey: `cache:shard:${(written += 1)}` }]);
    /** A transaction that wrote (so has its id) on `client` whose counter shard is (or is not) `shard`: others are rolled back. */
    const writeOnShard = async (client: pg.PoolClient, person: number, wanted: (shard: number) => boolean) => {
      for (let attempt = 0; attempt < 400; attempt += 1) {
        await client.query('BEGIN');
        await write(client, person);
        const { rows } = await client.query(`SELECT (pg_current_xact_id()::text::bigint % 16)::int AS shard`);
        if (wanted(rows[0].shard)) return rows[0].shard as number;
        await client.query('ROLLBACK');
      }
      throw new Error('no transaction on the wanted shard');
    };
    try {
      const start = BigInt(await version());
      const held = await writeOnShard(holder, 0, () => true);
      // the commit trigger runs now: the holder keeps its shard's row locked until it commits
      await holder.query('SET CONSTRAINTS ALL IMMEDIATE');
      await elsewhere.query(`SET lock_timeout = '2s'`);
      await writeOnShard(elsewhere, 1, (shard) => shard !== held);
      await elsewhere.query('COMMIT');
      expect(BigInt(await version())).toBe(start + 1n);
      await sameShard.query(`SET lock_timeout = '200ms'`);
      await writeOnShard(sameShard, 2, (shard) => shard === held);
      await expect(sameShard.query('COMMIT')).rejects.toThrow(/lock timeout/);
      await holder.query('COMMIT');
      expect(BigInt(await version())).toBe(start + 2n);
    } finally {
      for (const client of clients) {
        await client.query('ROLLBACK').catch(() => undefined);
        await client.query('RESET lock_timeout').catch(() => undefined);
        client.release();
      }
      await pool.query(`DELETE FROM activity WHERE source_key LIKE 'cache:shard:%'`);
    }
  });

  it('changes the answer at once after an activity insert, a removal, a merge and a rename', async () => {
    const now = new Date(NOW);
    const args: LeaderboardArgs = { first: 8, period: { preset: 'LAST_30_DAYS' } };
    const initial = await both(args, now);
    const last = initial.entries.at(-1)!;
    const lastId = people.find((person) => person.memberId === last.member.id)!;

    await createActivities(
      pool,
      Array.from({ length: 60 }, (_, index) => ({
        member: lastId,
        repositoryId: repositories[0],
        type: 'pull_request_merged',
        occurredAt: new Date(NOW - 3 * DAY - index * 1000),
        sourceKey: `cache:burst:${index}`,
      })),
    );
    const afterInsert = await both(args, now);
    expect(afterInsert.entries[0].member.id).toBe(last.member.id);

    await pool.query(`UPDATE activity SET removed_at = now() WHERE source_key LIKE 'cache:burst:%'`);
    const afterRemoval = await both(args, now);
    expect(afterRemoval.entries).toEqual(initial.entries);

    // a merge moves every activity of the top member to the second
    const [top, second] = afterRemoval.entries;
    await pool.query(`UPDATE activity SET member_id = $1 WHERE member_id = $2`, [second.member.id, top.member.id]);
    const afterMerge = await both(args, now);
    expect(afterMerge.entries[0].member.id).toBe(second.member.id);
    expect(afterMerge.entries.some((entry) => entry.member.id === top.member.id)).toBe(false);

    await pool.query(`UPDATE member SET login = 'cache-renamed' WHERE id = $1`, [second.member.id]);
    expect((await both(args, now)).entries[0].member.login).toBe('cache-renamed');
  });

  it('follows "now" exactly: activities entering and leaving a moving window, and a new UTC day', async () => {
    const args: LeaderboardArgs = { first: 100, period: { preset: 'LAST_7_DAYS' } };
    const newcomer = await createMember(pool, { login: 'cache-newcomer' });
    const leaver = await createMember(pool, { login: 'cache-leaver' });
    const at = NOW + 60_000;
    await createActivities(pool, [
      // enters the window one minute after NOW
      { member: newcomer, repositoryId: repositories[0], occurredAt: new Date(at), sourceKey: 'cache:enter' },
      // leaves it two minutes after NOW
      { member: leaver, repositoryId: repositories[0], occurredAt: new Date(NOW - 7 * DAY + 120_000), sourceKey: 'cache:leave' },
    ]);
    const ids = (board: { entries: LeaderboardEntry[] }) => board.entries.map((entry) => entry.member.id);
    const atNow = await both(args, new Date(NOW));
    expect(ids(atNow)).toContain(leaver.memberId);
    expect(ids(atNow)).not.toContain(newcomer.memberId);
    // still the same page a few seconds later, served from the cache
    const before = rankings();
    expect(ids(await both(args, new Date(NOW + 5_000)))).toEqual(ids(atNow));
    expect(rankings() - before).toBe(1);
    // the activity at NOW + 1 min is in [since, until) from just after it
    expect(ids(await both(args, new Date(at)))).not.toContain(newcomer.memberId);
    expect(ids(await both(args, new Date(at + 1)))).toContain(newcomer.memberId);
    const later = await both(args, new Date(NOW + 120_001));
    expect(ids(later)).not.toContain(leaver.memberId);
    expect(ids(later)).toContain(newcomer.memberId);
    // a request from before the cached page's instant is computed, not served the later page
    expect(ids(await both(args, new Date(NOW)))).toContain(leaver.memberId);
  });

  it('names a window ending now by its UTC day, and a fixed window by its instants', () => {
    const window = (until: number, sinceMoves = true): CacheWindow => ({
      since: new Date(until - 30 * DAY),
      until: new Date(until),
      sinceMoves,
      untilMoves: true,
    });
    const args = { first: 10, weights: [1, 2, 3], repositoryIds: null };
    const endOfDay = Date.parse('2025-04-10T23:59:59.999Z');
    expect(leaderboardCacheKey(args, window(NOW))).toBe(leaderboardCacheKey(args, window(endOfDay)));
    expect(leaderboardCacheKey(args, window(NOW))).not.toBe(leaderboardCacheKey(args, window(endOfDay + 1)));
    expect(leaderboardCacheKey(args, window(NOW))).not.toBe(leaderboardCacheKey({ ...args, first: 11 }, window(NOW)));
    const fixed = (until: number): CacheWindow => ({ ...window(until), sinceMoves: false, untilMoves: false });
    expect(leaderboardCacheKey(args, fixed(NOW))).not.toBe(leaderboardCacheKey(args, fixed(NOW + 1)));
    const page = { since: new Date(NOW - 30 * DAY).toISOString(), until: new Date(NOW).toISOString(), nextFromSince: null, nextFromUntil: null, entries: [] };
    expect(pageServesWindow(page, window(NOW + HOUR))).toBe(true);
    expect(pageServesWindow(page, window(NOW - 1))).toBe(false);
    expect(pageServesWindow({ ...page, nextFromUntil: new Date(NOW + 10).toISOString() }, window(NOW + 11))).toBe(false);
    expect(pageServesWindow({ ...page, nextFromSince: new Date(NOW - 30 * DAY + 10).toISOString() }, window(NOW + 10))).toBe(true);
    expect(pageServesWindow({ ...page, nextFromSince: new Date(NOW - 30 * DAY + 10).toISOString() }, window(NOW + 11))).toBe(false);
    // an empty ranking carries no probe row: its page is good for its own instant only
    const empty = { ...pageBounds([], window(NOW)), entries: [] };
    expect(pageServesWindow(empty, window(NOW))).toBe(true);
    expect(pageServesWindow(empty, window(NOW + 1))).toBe(false);
  });

  it('computes concurrent misses for one key once in this process', async () => {
    const args: LeaderboardArgs = { first: 4, weights: { reviews: 17 }, period: { preset: 'LAST_365_DAYS' } };
    const before = rankings();
    const boards = await Promise.all(Array.from({ length: 10 }, () => cached.leaderboard(args, new Date(NOW))));
    expect(rankings() - before).toBe(1);
    const computed = await uncached.leaderboard(args, new Date(NOW));
    for (const board of boards) expect(board).toEqual(computed);
    // each caller has its own copy
    expect(new Set(boards.map((board) => board.entries)).size).toBe(10);
  });

  it('is computed every time while Redis does not answer', async () => {
    const nowhere = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
    const away = new LeaderboardCache<LeaderboardEntry>({
      redis: nowhere,
      keyPrefix: `${env.queuePrefix}:away`,
      ttlSeconds: 60,
    });
    const service = new LeaderboardService(dataSource, new RepositoryQueryService(dataSource), away);
    try {
      expect(await service.leaderboard({}, new Date(NOW))).toEqual(await uncached.leaderboard({}, new Date(NOW)));
    } finally {
      nowhere.disconnect();
    }
  });
});
