import type { ActivityType } from '../activity.entity.js';
import { splitWindow, splitWindowByMonths } from './leaderboard-window.js';
import type { SqlConditions } from './sql-conditions.js';

/** What to count: activity types in a window, optionally within some repositories. */
export interface CountScope {
  types: readonly ActivityType[];
  /** Half-open window of UTC instants; `since` null is open. */
  since: Date | null;
  until: Date;
  /** GitHub repository ids; null means every repository. */
  repositoryIds?: readonly number[] | null;
}

/**
 * SQL of a relation `(member_id uuid, type text, n integer)` whose `n` summed per member and
 * type is the number of live (not removed) activities of that member and type in the scope.
 * Whole UTC days come from the `activity_daily` rollup, the partial days at the window's ends
 * from `activity` (see {@link splitWindow}), so the answer is exact at any instant bounds and
 * costs about one rollup cell per (member, repository, type, day). Members of every kind are
 * included: callers filter on `member.kind`. Values are bound through `params`.
 */
export function memberTypeCountsSql(params: SqlConditions, scope: CountScope): string {
  const split = splitWindow(scope.since, scope.until);
  const types = params.param(scope.types);
  const repositories = scope.repositoryIds == null ? null : params.param(scope.repositoryIds);
  const parts: string[] = [];
  if (split.days) {
    const conditions = [`d.type = ANY(${types}::text[])`, `d.day < ${params.param(split.days.to)}::date`];
    if (split.days.from !== null) conditions.push(`d.day >= ${params.param(split.days.from)}::date`);
    if (repositories) conditions.push(`d.repository_id = ANY(${repositories}::bigint[])`);
    parts.push(`SELECT d.member_id, d.type, d.activities AS n FROM activity_daily d WHERE ${conditions.join(' AND ')}`);
  }
  for (const range of split.partial) {
    const conditions = [
      'a.removed_at IS NULL',
      `a.type = ANY(${types}::text[])`,
      `a.occurred_at < ${params.param(range.until.toISOString())}::timestamptz`,
    ];
    if (range.since) conditions.push(`a.occurred_at >= ${params.param(range.since.toISOString())}::timestamptz`);
    if (repositories) conditions.push(`a.repository_id = ANY(${repositories}::bigint[])`);
    parts.push(`SELECT a.member_id, a.type, 1 AS n FROM activity a WHERE ${conditions.join(' AND ')}`);
  }
  if (!parts.length) return `SELECT NULL::uuid AS member_id, NULL::text AS type, 0 AS n WHERE false`;
  return parts.join('\nUNION ALL\n');
}

/**
 * {@link memberTypeCountsSql} for a few members only, over a bounded window in every repository:
 * `members` is an SQL relation of one `member_id` column (a CTE name). Per UTC month the window
 * touches, its whole days come either from `activity_daily` (by member: index
 * `activity_daily_member`) or, when fewer rows, as the month's `activity_member_monthly` per-type
 * rows minus the month's other days ({@link splitWindowByMonths}; `n` is then negative for those);
 * the partial days come from `activity` by member. A member costs a few rows per month, however
 * active: the members a leaderboard counts exactly are the most active ones.
 */
export function candidateTypeCountsSql(params: SqlConditions, scope: { types: readonly ActivityType[]; since: Date; until: Date }, members: string): string {
  const split = splitWindowByMonths(scope.since, scope.until);
  const types = params.param(scope.types);
  const ofMembers = (alias: string) => `${alias}.member_id IN (SELECT member_id FROM ${members}) AND ${alias}.type = ANY(${types}::text[])`;
  const parts: string[] = [];
  if (split.months.length) {
    // the types as a filter, not an index condition: one descent of the primary key per (member, month)
    // reads its ≤ 11 rows, where an index condition `type = ANY(...)` descends once per type (PostgreSQL 15)
    parts.push(`SELECT x.member_id, x.type, x.activities AS n FROM activity_member_monthly x
      WHERE x.member_id IN (SELECT member_id FROM ${members}) AND x.month = ANY(${params.param(split.months)}::date[])
        AND x.type <> '*' AND (x.type = ANY(${types}::text[])) IS TRUE`);
  }
  for (const days of split.days) {
    parts.push(`SELECT d.member_id, d.type, ${days.sign} * d.activities AS n FROM activity_daily d
      WHERE ${ofMembers('d')} AND d.day >= ${params.param(days.from)}::date AND d.day < ${params.param(days.to)}::date`);
  }
  for (const range of split.partial) {
    parts.push(`SELECT a.member_id, a.type, 1 AS n FROM activity a
      WHERE ${ofMembers('a')} AND a.removed_at IS NULL
        AND a.occurred_at >= ${params.param(range.since!.toISOString())}::timestamptz AND a.occurred_at < ${params.param(range.until.toISOString())}::timestamptz`);
  }
  if (!parts.length) return `SELECT NULL::uuid AS member_id, NULL::text AS type, 0 AS n WHERE false`;
  return parts.join('\nUNION ALL\n');
}
