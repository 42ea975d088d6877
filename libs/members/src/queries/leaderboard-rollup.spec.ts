import pg from 'pg';
import { DataSource } from 'typeorm';
import {
  createActivities,
  createMember,
  createRepository,
  type ActivityFields,
  type CreatedMember,
} from '../../../../test/helpers/factories.js';
import { createTestEnv, type TestEnv } from '../../../../test/helpers/test-env.js';
import { LEADERBOARD_COUNTS, leaderboardScore, resolveLeaderboardWeights, type LeaderboardCountName } from './leaderboard-score.js';
import { LeaderboardService } from './leaderboard.service.js';
import { RepositoryQueryService } from './repository-query.service.js';
import { seededRandom } from '../../../../test/helpers/seeded-random.js';

const HOUR = 3_600_000;
const START = Date.parse('2025-03-01T00:00:00Z');
const TYPES = ['commit', 'pull_request_opened', 'pull_request_merged', 'review', 'issue_opened', 'issue_comment', 'review_comment', 'star'];

describe('activity_daily rollup and the leaderboard over it (Postgres)', () => {
  let env: TestEnv;
  let pool: pg.Pool;
  let dataSource: DataSource;
  let leaderboards: LeaderboardService;
  let people: CreatedMember[];
  let bot: CreatedMember;
  let ghost: CreatedMember;
  let repositories: number[];

  /** The rollup, and the same numbers counted from the activity table. */
  async function rollupAndTruth() {
    const rollup = await pool.query(
      `SELECT day::text, member_id, repository_id::text, type, activities FROM activity_daily ORDER BY 1, 2, 3, 4`,
    );
    const truth = await pool.query(
      `SELECT (occurred_at AT TIME ZONE 'UTC')::date::text AS day, member_id, repository_id::text, type, count(*)::int AS activities
         FROM activity WHERE removed_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    );
    return { rollup: rollup.rows, truth: truth.rows };
  }

  beforeAll(async () => {
    env = await createTestEnv();
    pool = new pg.Pool({ connectionString: env.database.url, max: 4 });
    dataSource = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    leaderboards = new LeaderboardService(dataSource, new RepositoryQueryService(dataSource));
    people = [];
    for (let i = 0; i < 6; i += 1) people.push(await createMember(pool, { login: `rollup-person-${i}` }));
    bot = await createMember(pool, { kind: 'bot', login: 'rollup-helper[bot]' });
    ghost = await createMember(pool, { kind: 'deleted' });
    repositories = [await createRepository(pool), await createRepository(pool)];
    const next = seededRandom(42);
    const everyone = [...people, bot, ghost];
    const activities: ActivityFields[] = Array.from({ length: 800 }, (_, index) => ({
      member: everyone[Math.floor(next() * everyone.length)],
      repositoryId: repositories[Math.floor(next() * repositories.length)],
      type: TYPES[Math.floor(next() * TYPES.length)],
      occurredAt: new Date(START + Math.floor(next() * 20 * 24) * HOUR + Math.floor(next() * HOUR)),
      sourceKey: `rollup:${index}`,
      removedAt: next() < 0.05 ? new Date(START) : null,
    }));
    await createActivities(pool, activities);
  }, 180_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await pool?.end();
    await env?.teardown();
  });

  it('holds exactly the live activities per member, repository, type and UTC day after inserts', async () => {
    const { rollup, truth } = await rollupAndTruth();
    expect(rollup.length).toBeGreaterThan(100);
    expect(rollup).toEqual(truth);
  });

  it('adds nothing when the same source keys are inserted again (ON CONFLICT DO NOTHING)', async () => {
    const before = (await rollupAndTruth()).rollup;
    await pool.query(
      `INSERT INTO activity (type, occurred_at, repository_id, identity_id, member_id, source, source_key)
       SELECT type, occurred_at, repository_id, identity_id, member_id, 'webhook', source_key FROM activity
       ON CONFLICT (source_key) DO NOTHING`,
    );
    expect((await rollupAndTruth()).rollup).toEqual(before);
  });

  it('follows removals, re-activations, members merged and rows deleted', async () => {
    await pool.query(`UPDATE activity SET removed_at = now() WHERE id % 7 = 0 AND removed_at IS NULL`);
    await pool.query(`UPDATE activity SET removed_at = NULL WHERE id % 11 = 0`);
    // a merge moves one person's activities to another member
    await pool.query(`UPDATE activity SET member_id = $1 WHERE member_id = $2`, [people[0].memberId, people[5].memberId]);
    await pool.query(`UPDATE activity SET facts = '{"edited": true}' WHERE id % 5 = 0`);
    await pool.query(`DELETE FROM activity WHERE id % 13 = 0`);
    const { rollup, truth } = await rollupAndTruth();
    expect(rollup).toEqual(truth);
    expect(rollup.every((cell) => cell.activities > 0)).toBe(true);
    expect(rollup.some((cell) => cell.member_id === people[5].memberId)).toBe(false);
  });

  it('ranks exactly as counting activities directly, at any bounds and weights, persons only', async () => {
    const { rows } = await pool.query(
      `SELECT a.member_id, a.type, a.occurred_at, a.repository_id::int AS repository_id, m.kind
         FROM activity a JOIN member m ON m.id = a.member_id WHERE a.removed_at IS NULL`,
    );
    const names = Object.keys(LEADERBOARD_COUNTS) as LeaderboardCountName[];
    const next = seededRandom(7);
    for (let round = 0; round < 12; round += 1) {
      const since = new Date(START + Math.floor(next() * 10 * 24 * HOUR));
      const until = new Date(since.getTime() + Math.floor(next() * 12 * 24 * HOUR) + HOUR);
      const repository = round % 3 === 0 ? repositories[1] : null;
      const weights = round % 2 === 0 ? null : { commits: 7, comments: 0, reviews: 4 };
      const resolved = resolveLeaderboardWeights(weights);
      const expected = new Map<string, Record<LeaderboardCountName, number>>();
      for (const row of rows) {
        const at = new Date(row.occurred_at).getTime();
        if (row.kind !== 'person' || at < since.getTime() || at >= until.getTime()) continue;
        if (repository !== null && row.repository_id !== repository) continue;
        const name = names.find((candidate) => (LEADERBOARD_COUNTS[candidate] as readonly string[]).includes(row.type));
        if (!name) continue;
        const counts = expected.get(row.member_id) ?? (Object.fromEntries(names.map((n) => [n, 0])) as Record<LeaderboardCountName, number>);
        counts[name] += 1;
        expected.set(row.member_id, counts);
      }
      const want = [...expected.entries()]
        .map(([memberId, counts]) => ({ memberId, score: leaderboardScore(counts, resolved), counts }))
        .filter((entry) => entry.score > 0)
        .sort((a, b) => b.score - a.score);
      const board = await leaderboards.leaderboard(
        { period: { since, until }, repository: repository === null ? null : String(repository), first: 100, weights },
        new Date(START + 40 * 24 * HOUR),
      );
      expect(board.weights).toEqual(resolved);
      expect(board.entries.map((entry) => entry.score)).toEqual(want.map((entry) => entry.score));
      for (const entry of board.entries) {
        const counts = expected.get(entry.member.id)!;
        expect(Object.fromEntries(names.map((n) => [n, entry[n]]))).toEqual(counts);
      }
      expect(board.entries.some((entry) => entry.member.id === bot.memberId || entry.member.id === ghost.memberId)).toBe(false);
    }
  });

  it('refuses a weight outside 0–100 with a message naming it', async () => {
    await expect(leaderboards.leaderboard({ weights: { reviews: 101 } })).rejects.toThrow(/weights\.reviews: must be at most 100/);
    await expect(leaderboards.leaderboard({ weights: { commits: -1 } })).rejects.toThrow(/weights\.commits: must be at least 0/);
  });

  it('empties with the activity table on TRUNCATE', async () => {
    await pool.query(`TRUNCATE activity`);
    expect((await pool.query(`SELECT count(*)::int AS n FROM activity_daily`)).rows[0].n).toBe(0);
  });
});
