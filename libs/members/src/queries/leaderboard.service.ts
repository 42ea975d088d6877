import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  LEADERBOARD_CACHE,
  leaderboardCacheKey,
  LeaderboardCache,
  nextActivityColumns,
  pageBounds,
  readLeaderboardVersion,
  type CacheWindow,
} from './leaderboard-cache.js';
import { PERIOD_PRESETS, resolvePeriod, type PeriodInput, type ResolvedPeriod } from './leaderboard-period.js';
import { candidateTypeCountsSql, memberTypeCountsSql } from './leaderboard-counts.js';
import { monthsOverlapping } from './leaderboard-window.js';
import {
  LEADERBOARD_COUNTS,
  MAX_LEADERBOARD_WEIGHT,
  resolveLeaderboardWeights,
  SCORED_ACTIVITY_TYPES,
  type LeaderboardCountName,
  type LeaderboardWeightsInput,
} from './leaderboard-score.js';
import { MAX_PAGE_SIZE } from './page.types.js';
import { parseQueryInput } from './parse-query-input.js';
import type { MemberView } from './read-model.types.js';
import { RepositoryQueryService } from './repository-query.service.js';
import { MEMBER_ACCOUNT_JOIN, MEMBER_COLUMNS, toMemberView, type MemberRow } from './rows.js';
import { SqlConditions } from './sql-conditions.js';

/** Arguments of {@link LeaderboardService.leaderboard}. */
export interface LeaderboardArgs {
  period?: PeriodInput | null;
  /** GitHub's numeric repository id or `owner/name`; all repositories when absent. */
  repository?: string | null;
  /** Number of entries, 1–100 (default 10). */
  first?: number | null;
  /** Points per count; counts left out keep their default weight (`LEADERBOARD_WEIGHTS`). */
  weights?: LeaderboardWeightsInput | null;
}

/** One ranked member with the counts behind the score. */
export type LeaderboardEntry = Record<LeaderboardCountName, number> & {
  /** Position in the ranking, from 1; ties are broken (see {@link LeaderboardService.leaderboard}). */
  rank: number;
  score: number;
  member: MemberView;
};

/** A leaderboard over a resolved window. */
export interface Leaderboard extends ResolvedPeriod {
  /** The weights the scores were computed with. */
  weights: Record<LeaderboardCountName, number>;
  entries: LeaderboardEntry[];
}

const COUNT_NAMES = Object.keys(LEADERBOARD_COUNTS) as LeaderboardCountName[];

const weightSchema = z
  .number()
  .int('must be an integer')
  .min(0, 'must be at least 0')
  .max(MAX_LEADERBOARD_WEIGHT, `must be at most ${MAX_LEADERBOARD_WEIGHT}`)
  .nullish();

const argsSchema = z.object({
  period: z
    .object({
      preset: z.enum(PERIOD_PRESETS).nullish(),
      since: z.date().nullish(),
      until: z.date().nullish(),
    })
    .nullish(),
  repository: z.string().nullish(),
  first: z
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .nullish()
    .transform((value) => value ?? 10),
  weights: z.object(Object.fromEntries(COUNT_NAMES.map((name) => [name, weightSchema]))).nullish(),
});

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
/** The result column of each count (`pull_requests_opened`), built once rather than per request and row. */
const COLUMN = Object.fromEntries(COUNT_NAMES.map((name) => [name, snake(name)])) as Record<LeaderboardCountName, string>;

/** `sum(n) FILTER (...)` per column, from constants only (no user input reaches this SQL). */
const COUNT_COLUMNS = COUNT_NAMES.map(
  (name) =>
    `coalesce(sum(c.n) FILTER (WHERE c.type IN (${LEADERBOARD_COUNTS[name].map((type) => `'${type}'`).join(', ')})), 0)::int AS ${snake(name)}`,
).join(',\n');

const TOP_COLUMNS = [...COUNT_NAMES.map((name) => `top.${snake(name)}`), 'top.score'].join(', ');

type CountRow = Record<string, number>;

/**
 * Ranks people by weighted activity in a window (default weights: `LEADERBOARD_WEIGHTS`;
 * callers may change any). Counts come from the `activity_daily` rollup for whole UTC days and
 * from `activity` for the partial days at the window's ends (`memberTypeCountsSql`), so the
 * answer equals counting activities directly and is as fresh as the last committed write (the
 * rollup is maintained by triggers in the writing transaction). Bots and the deleted-user
 * sentinel never rank (only members of kind `person`). A commit is one activity row however
 * many repositories contain it, so it counts once; with a repository filter it counts for the
 * repository it was recorded in.
 *
 * With a {@link LeaderboardCache} (`LEADERBOARD_CACHE_SECONDS` > 0), computed pages are kept in
 * Redis under `leaderboard_version` (bumped in the transaction of every write that can change a
 * page), the normalised arguments and the window (the UTC day of a window ending now), and served
 * only while no activity has entered or left a window that moves with "now": a cached answer is
 * the answer a computation would give at that instant.
 */
@Injectable()
export class LeaderboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repositories: RepositoryQueryService,
    @Optional() @Inject(LEADERBOARD_CACHE) private readonly cache: LeaderboardCache<LeaderboardEntry> | null = null,
  ) {}

  /**
   * The top `first` members of the window, by score descending; equal scores are ordered by
   * lower-cased login (or display name), byte-wise, then member id, so the order is stable.
   * Members scoring 0 are not listed.
   * @param now the instant presets count back from (defaults to the current time).
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100, a weight outside
   *   0–100 or not an integer, or a bad period; NOT_FOUND for an unknown repository.
   */
  async leaderboard(args: LeaderboardArgs, now: Date = new Date()): Promise<Leaderboard> {
    const parsed = parseQueryInput(argsSchema, args);
    const period = resolvePeriod(parsed.period, now);
    const weights = resolveLeaderboardWeights(parsed.weights as LeaderboardWeightsInput | null | undefined);
    const repositoryIds = parsed.repository != null ? [await this.repositories.resolveRef(parsed.repository)] : null;
    if (!this.cache) return { ...period, weights, entries: (await this.rank(period, weights, repositoryIds, parsed.first)).entries };
    const window: CacheWindow = {
      ...period,
      untilMoves: parsed.period?.until == null,
      sinceMoves: parsed.period?.preset != null || (parsed.period?.since == null && parsed.period?.until == null),
    };
    const key = leaderboardCacheKey({ first: parsed.first, weights: COUNT_NAMES.map((name) => weights[name]), repositoryIds }, window);
    // the version first: a page computed after reading it is at least as new as that version
    const version = await readLeaderboardVersion(this.dataSource);
    const entries = await this.cache.page(version, key, window, async () => {
      const ranked = await this.rank(period, weights, repositoryIds, parsed.first, window);
      return { ...pageBounds(ranked.rows, window), entries: ranked.entries };
    });
    return { ...period, weights, entries };
  }

  /**
   * The ranked entries of a resolved window (the computation the cache keeps); with `probe`, each
   * row also carries the cache's bounds ({@link nextActivityColumns}) in the same statement.
   */
  private async rank(
    period: ResolvedPeriod,
    weights: Record<LeaderboardCountName, number>,
    repositoryIds: number[] | null,
    first: number,
    probe?: CacheWindow,
  ): Promise<{ entries: LeaderboardEntry[]; rows: Array<{ next_from_until: Date | null; next_from_since: Date | null }> }> {
    const params = new SqlConditions();
    const weight = Object.fromEntries(COUNT_NAMES.map((name) => [name, params.param(weights[name])])) as Record<LeaderboardCountName, string>;
    const limit = params.param(first);
    const prunedMonths = this.prunedMonths(period, weights, repositoryIds);
    const pruned = prunedMonths !== null;
    const cells = pruned
      ? prunedCellsSql(params, { ...period, since: period.since! }, prunedMonths, weight, weights, limit)
      : `cells AS (${memberTypeCountsSql(params, { types: SCORED_ACTIVITY_TYPES, ...period, repositoryIds })})`;
    // persons only. A bounded ranking counts a few dozen members: one primary-key lookup each. A whole
    // ranking counts up to every active member: the few bots and the deleted sentinel are one hashed
    // anti-join (partial index member_non_person) instead.
    const person = pruned
      ? `EXISTS (SELECT 1 FROM member pp WHERE pp.id = c.member_id AND pp.kind = 'person')`
      : `c.member_id NOT IN (SELECT np.id FROM member np WHERE np.kind <> 'person')`;
    const score = COUNT_NAMES.map((name) => `c.${COLUMN[name]} * ${weight[name]}::int`).join(' + ');
    const bounds = probe ? `, ${nextActivityColumns((value) => params.param(value), probe)}` : '';
    const rows: Array<MemberRow & CountRow & { score: number; next_from_until: Date | null; next_from_since: Date | null }> = await this.dataSource.query(
      `WITH ${cells}, counts AS (
         SELECT c.member_id, ${COUNT_COLUMNS} FROM cells c GROUP BY c.member_id
       ), scored AS (
         -- only the best scores (with ties) meet the member table for the tie order
         SELECT c.*, (${score}) AS score FROM counts c
          WHERE (${score}) > 0 AND ${person}
          ORDER BY score DESC
          FETCH FIRST ${limit} ROWS WITH TIES
       ), top AS (
         SELECT s.*, lower(coalesce(p.login, p.display_name)) COLLATE "C" AS tie
           FROM scored s JOIN member p ON p.id = s.member_id
          ORDER BY s.score DESC, tie NULLS LAST, p.id
          LIMIT ${limit}
       )
       SELECT ${TOP_COLUMNS}, ${MEMBER_COLUMNS}${bounds}
         FROM top JOIN member m ON m.id = top.member_id ${MEMBER_ACCOUNT_JOIN}
        ORDER BY top.score DESC, top.tie NULLS LAST, m.id`,
      params.params,
    );
    const entries = rows.map((row, index) => ({
      rank: index + 1,
      score: Number(row.score),
      member: toMemberView(row),
      ...(Object.fromEntries(COUNT_NAMES.map((name) => [name, row[COLUMN[name]]])) as Record<LeaderboardCountName, number>),
    }));
    return { entries, rows };
  }

  /**
   * Whether to rank through the score bound ({@link prunedCellsSql}): a window of at least a week
   * with a start, over every repository, within {@link PRUNE_MAX_MONTHS} months, with a weight above 0.
   * Shorter windows hold few cells and are cheaper to rank whole.
   * @returns the UTC months (`YYYY-MM-01`) the window overlaps when it is ranked so, else null.
   */
  private prunedMonths(period: ResolvedPeriod, weights: Record<LeaderboardCountName, number>, repositoryIds: number[] | null): string[] | null {
    if (repositoryIds !== null || period.since === null || Math.max(...Object.values(weights)) === 0) return null;
    if (period.until.getTime() - period.since.getTime() < PRUNE_MIN_MS) return null;
    const months = monthsOverlapping(period.since, period.until);
    return months.length <= PRUNE_MAX_MONTHS ? months : null;
  }
}

/** Seeds per month beyond the page size: bots and members quiet in the window's part of the month. */
const SEED_EXTRA = 10;
/** Shortest window ranked through the score bound (7 days). */
const PRUNE_MIN_MS = 7 * 86_400_000;
/** Longest window, in months it overlaps, ranked through the score bound. */
const PRUNE_MAX_MONTHS = 25;

/**
 * The `cells` CTE (with the CTEs it needs) of a ranking that counts only the members who can reach
 * the page, exactly:
 * 1. `seed`: per month the window overlaps, the `first` + 10 members with the most activities that month
 *    (`activity_member_monthly`, type '*'); their exact scores give `bar`, the `first`-th best score
 *    among persons — the page's last score is at least `bar`;
 * 2. a member's score in the window is at most (largest weight) × (activities in the window) ≤
 *    (largest weight) × (sum of their k overlapping months' totals), so a member who reaches `bar`
 *    has a month total ≥ ⌈⌈bar ÷ largest weight⌉ ÷ k⌉ in one of them: `candidates` are those
 *    (an index range per month); every member scoring at least `bar` is a seed or a candidate;
 * 3. the cells of seeds and candidates, counted by member ({@link candidateTypeCountsSql}).
 * With fewer than `first` seeds scoring above 0 there is no bar: every member active in those
 * months is a candidate (exact, as slow as ranking everyone).
 * @param months the UTC months the window overlaps (`monthsOverlapping`).
 */
function prunedCellsSql(
  params: SqlConditions,
  period: { since: Date; until: Date },
  months: string[],
  weight: Record<LeaderboardCountName, string>,
  weights: Record<LeaderboardCountName, number>,
  limit: string,
): string {
  const monthList = params.param(months);
  const largest = params.param(Math.max(...Object.values(weights)));
  const monthCount = params.param(months.length);
  const scope = { types: SCORED_ACTIVITY_TYPES, since: period.since, until: period.until };
  const typeWeight = `CASE ${COUNT_NAMES.map(
    (name) => `WHEN s.type IN (${LEADERBOARD_COUNTS[name].map((type) => `'${type}'`).join(', ')}) THEN ${weight[name]}::int`,
  ).join(' ')} ELSE 0 END`;
  return `seed AS (
      SELECT DISTINCT t.member_id FROM unnest(${monthList}::date[]) AS mo(month)
      CROSS JOIN LATERAL (SELECT x.member_id FROM activity_member_monthly x WHERE x.type = '*' AND x.month = mo.month
                           ORDER BY x.activities DESC LIMIT ${limit}::int + ${SEED_EXTRA}) t
    ), seed_cells AS (${candidateTypeCountsSql(params, scope, 'seed')}
    ), bar AS (
      -- persons only: a primary-key lookup per seed (hashing every bot's id cost more than the whole bound)
      SELECT ss.score FROM (SELECT s.member_id, sum(s.n * ${typeWeight}) AS score FROM seed_cells s GROUP BY s.member_id) ss
       JOIN member p ON p.id = ss.member_id AND p.kind = 'person'
       WHERE ss.score > 0
       ORDER BY ss.score DESC OFFSET ${limit}::int - 1 LIMIT 1
    ), threshold AS (
      SELECT coalesce((SELECT ceil(ceil(bar.score::numeric / ${largest}::int) / ${monthCount}::int)::int FROM bar), 1) AS activities
    ), candidates AS (
      SELECT DISTINCT t.member_id FROM unnest(${monthList}::date[]) AS mo(month)
      CROSS JOIN LATERAL (SELECT x.member_id FROM activity_member_monthly x
                           WHERE x.type = '*' AND x.month = mo.month AND x.activities >= (SELECT activities FROM threshold)) t
       WHERE t.member_id NOT IN (SELECT member_id FROM seed)
    ), cells AS (
      SELECT member_id, type, n FROM seed_cells
      UNION ALL
      ${candidateTypeCountsSql(params, scope, 'candidates')}
    )`;
}
