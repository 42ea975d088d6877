import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { PERIOD_PRESETS, resolvePeriod, type PeriodInput, type ResolvedPeriod } from './leaderboard-period.js';
import {
  LEADERBOARD_COUNTS,
  LEADERBOARD_WEIGHTS,
  SCORED_ACTIVITY_TYPES,
  type LeaderboardCountName,
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
  entries: LeaderboardEntry[];
}

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
});

const COUNT_NAMES = Object.keys(LEADERBOARD_COUNTS) as LeaderboardCountName[];

const snake = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** `count(*) FILTER (...)` per column, from constants only (no user input reaches this SQL). */
const COUNT_COLUMNS = COUNT_NAMES.map(
  (name) =>
    `count(*) FILTER (WHERE a.type IN (${LEADERBOARD_COUNTS[name].map((type) => `'${type}'`).join(', ')}))::int AS ${snake(name)}`,
).join(',\n');

const TOP_COLUMNS = [...COUNT_NAMES.map((name) => `top.${snake(name)}`), 'top.score', 'top.rank'].join(', ');

const SCORE_EXPRESSION = COUNT_NAMES.map((name) => `c.${snake(name)} * ${LEADERBOARD_WEIGHTS[name]}`).join(' + ');

type CountRow = Record<string, number>;

/**
 * Ranks people by weighted activity in a window (see `LEADERBOARD_WEIGHTS`). Aggregated in
 * SQL over the activity indexes. Bots and the deleted-user sentinel never rank (only members
 * of kind `person`). A commit is one activity row however many repositories contain it, so it
 * counts once; with a repository filter it counts for the repository it was recorded in.
 */
@Injectable()
export class LeaderboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repositories: RepositoryQueryService,
  ) {}

  /**
   * The top `first` members of the window, by score descending; equal scores are ordered by
   * lower-cased login (or display name), byte-wise, then member id, so the order is stable.
   * @param now the instant presets count back from (defaults to the current time).
   * @throws QueryException BAD_USER_INPUT for `first` outside 1–100 or a bad period;
   *   NOT_FOUND for an unknown repository.
   */
  async leaderboard(args: LeaderboardArgs, now: Date = new Date()): Promise<Leaderboard> {
    const parsed = parseQueryInput(argsSchema, args);
    const period = resolvePeriod(parsed.period, now);
    const where = new SqlConditions().add('a.removed_at IS NULL');
    where.add(`a.type = ANY(${where.param(SCORED_ACTIVITY_TYPES)}::text[])`);
    if (period.since) where.add(`a.occurred_at >= ${where.param(period.since.toISOString())}`);
    where.add(`a.occurred_at < ${where.param(period.until.toISOString())}`);
    if (parsed.repository != null) {
      where.add(`a.repository_id = ${where.param(await this.repositories.resolveRef(parsed.repository))}`);
    }
    const limit = where.param(parsed.first);
    const rows: Array<MemberRow & CountRow & { score: number; rank: string }> = await this.dataSource.query(
      `WITH counts AS (
         SELECT a.member_id, ${COUNT_COLUMNS}
           FROM activity a ${where.where()}
          GROUP BY a.member_id
       ), top AS (
         SELECT c.*, (${SCORE_EXPRESSION})::int AS score,
                row_number() OVER (
                  ORDER BY (${SCORE_EXPRESSION}) DESC, lower(coalesce(p.login, p.display_name)) COLLATE "C" NULLS LAST, p.id
                ) AS rank
           FROM counts c
           JOIN member p ON p.id = c.member_id AND p.kind = 'person'
          ORDER BY rank
          LIMIT ${limit}
       )
       SELECT ${TOP_COLUMNS}, ${MEMBER_COLUMNS}
         FROM top JOIN member m ON m.id = top.member_id ${MEMBER_ACCOUNT_JOIN}
        ORDER BY top.rank`,
      where.params,
    );
    return {
      ...period,
      entries: rows.map((row) => ({
        rank: Number(row.rank),
        score: row.score,
        member: toMemberView(row),
        ...(Object.fromEntries(COUNT_NAMES.map((name) => [name, row[snake(name)]])) as Record<
          LeaderboardCountName,
          number
        >),
      })),
    };
  }
}
