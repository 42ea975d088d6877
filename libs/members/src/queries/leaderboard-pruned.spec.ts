import pg from 'pg';
import { DataSource } from 'typeorm';
import { createActivities, createMember, createRepository, type ActivityFields, type CreatedMember } from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { LEADERBOARD_COUNTS, leaderboardScore, resolveLeaderboardWeights, type LeaderboardCountName, type LeaderboardWeightsInput } from './leaderboard-score.js';
import { LeaderboardService } from './leaderboard.service.js';
import { RepositoryQueryService } from './repository-query.service.js';
import { seededRandom } from '../../../../test/helpers/seeded-random.js';

const DAY = 86_400_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const SPAN_DAYS = 120; // four months
const TYPES = ['commit', 'pull_request_opened', 'pull_request_merged', 'review', 'issue_opened', 'issue_comment', 'review_comment', 'star', 'fork'];
const NAMES = Object.keys(LEADERBOARD_COUNTS) as LeaderboardCountName[];

/**
 * The leaderboard over a window of a week or more without a repository filter ranks only the
 * members whose month totals (`activity_member_monthly`) can reach the page: it must answer exactly
 * what counting every activity answers, for a skewed crowd, any page size and weights.
 */
describe('activity_member_monthly and the bounded leaderboard (Postgres)', () => {
  let env: TestEnv;
  let pool: pg.Pool;
  let dataSource: DataSource;
  let leaderboards: LeaderboardService;
  let people: CreatedMember[];
  let bots: CreatedMember[];

  /** The monthly rollup, and the same numbers counted from the activity table. */
  async function monthlyAndTruth() {
    const monthly = await pool.query(`SELECT member_id, month::text, type, activities FROM activity_member_monthly ORDER BY 1, 2, 3`);
    const truth = await pool.query(
      `SELECT member_id, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date::text AS month, coalesce(type, '*') AS type, count(*)::int AS activities
         FROM activity WHERE removed_at IS NULL
        GROUP BY GROUPING SETS ((1, 2, type), (1, 2)) ORDER BY 1, 2, 3`,
    );
    return { monthly: monthly.rows, truth: truth.rows };
  }

  beforeAll(async () => {
    env = await createTestEnv();
    pool = new pg.Pool({ connectionString: env.database.url, max: 4 });
    dataSource = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    leaderboards = new LeaderboardService(dataSource, new RepositoryQueryService(dataSource));
    people = [];
    for (let i = 0; i < 200; i += 1) people.push(await createMember(pool, { login: `pruned-${String(i).padStart(3, '0')}` }));
    // bots are among the most active: the bar must be taken over persons only
    bots = [await createMember(pool, { kind: 'bot', login: 'busy[bot]' }), await createMember(pool, { kind: 'bot', login: 'busier[bot]' })];
    const repositories = [await createRepository(pool), await createRepository(pool), await createRepository(pool)];
    const next = seededRandom(1129);
    const activities: ActivityFields[] = Array.from({ length: 8000 }, (_, index) => {
      const r = next();
      // a few very active people (⌊200·r⁴⌋) over a crowd of similar ones (many near the bar, most of them
      // not among the seeds), and the bots take one activity in ten
      const member = next() < 0.1 ? bots[index % 2] : people[Math.floor(200 * (next() < 0.3 ? r ** 4 : r))];
      return {
        member,
        repositoryId: repositories[Math.floor(next() * repositories.length)],
        type: TYPES[Math.floor(next() * TYPES.length)],
        occurredAt: new Date(START + Math.floor(next() * SPAN_DAYS * DAY)),
        sourceKey: `pruned:${index}`,
        removedAt: next() < 0.03 ? new Date(START) : null,
      };
    });
    await createActivities(pool, activities);
  }, 300_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await pool?.end();
    await env?.teardown();
  });

  it('holds exactly the live activities per member, UTC month and type, and in total', async () => {
    const { monthly, truth } = await monthlyAndTruth();
    expect(monthly.length).toBeGreaterThan(300);
    expect(monthly).toEqual(truth);
  });

  it('ranks exactly as counting activities directly, for windows of a week to four months, any page size and weights', async () => {
    const { rows } = await pool.query(
      `SELECT a.member_id, a.type, a.occurred_at, m.kind FROM activity a JOIN member m ON m.id = a.member_id WHERE a.removed_at IS NULL`,
    );
    const next = seededRandom(7);
    const weightSets: Array<LeaderboardWeightsInput | null> = [null, { commits: 7, comments: 0, reviews: 4 }, { commits: 0, pullRequestsOpened: 0, pullRequestsMerged: 0, reviews: 0, issuesOpened: 0, comments: 1 }];
    for (let round = 0; round < 24; round += 1) {
      const since = new Date(START - 5 * DAY + Math.floor(next() * 90 * DAY) + Math.floor(next() * DAY));
      const until = new Date(since.getTime() + 7 * DAY + Math.floor(next() * 100 * DAY));
      const weights = weightSets[round % weightSets.length];
      const first = [1, 3, 10, 25][round % 4];
      const resolved = resolveLeaderboardWeights(weights);
      const expected = new Map<string, Record<LeaderboardCountName, number>>();
      for (const row of rows) {
        const at = new Date(row.occurred_at).getTime();
        if (row.kind !== 'person' || at < since.getTime() || at >= until.getTime()) continue;
        const name = NAMES.find((candidate) => (LEADERBOARD_COUNTS[candidate] as readonly string[]).includes(row.type));
        if (!name) continue;
        const counts = expected.get(row.member_id) ?? (Object.fromEntries(NAMES.map((n) => [n, 0])) as Record<LeaderboardCountName, number>);
        counts[name] += 1;
        expected.set(row.member_id, counts);
      }
      const want = [...expected.values()]
        .map((counts) => leaderboardScore(counts, resolved))
        .filter((score) => score > 0)
        .sort((a, b) => b - a)
        .slice(0, first);
      const board = await leaderboards.leaderboard({ period: { since, until }, first, weights }, new Date(START + 200 * DAY));
      expect(board.entries.map((entry) => entry.score)).toEqual(want);
      for (const entry of board.entries) expect(Object.fromEntries(NAMES.map((n) => [n, entry[n]]))).toEqual(expected.get(entry.member.id));
      expect(board.entries.some((entry) => bots.some((bot) => bot.memberId === entry.member.id))).toBe(false);
    }
  });

  it('follows removals, re-activations, merged members and deleted rows', async () => {
    await pool.query(`UPDATE activity SET removed_at = now() WHERE id % 7 = 0 AND removed_at IS NULL`);
    await pool.query(`UPDATE activity SET removed_at = NULL WHERE id % 11 = 0`);
    await pool.query(`UPDATE activity SET member_id = $1 WHERE member_id = $2`, [people[3].memberId, people[0].memberId]);
    await pool.query(`UPDATE activity SET facts = '{"edited": true}' WHERE id % 5 = 0`);
    await pool.query(`DELETE FROM activity WHERE id % 13 = 0`);
    const { monthly, truth } = await monthlyAndTruth();
    expect(monthly).toEqual(truth);
    expect(monthly.every((row) => row.activities > 0)).toBe(true);
    await pool.query(`TRUNCATE activity`);
    expect((await pool.query(`SELECT count(*)::int AS n FROM activity_member_monthly`)).rows[0].n).toBe(0);
  });
});
