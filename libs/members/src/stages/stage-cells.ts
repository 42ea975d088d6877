import { creditTimelineSql } from '../affiliations/affiliation-sql.js';

/**
 * `member_stage_cell`: the funnel's counts as changes ("events") binned by two instants — when the
 * member entered the funnel (first seen) and when the change happened — so that a funnel for any
 * entry period `[from, to)` sums a few hundred cells instead of reading every member.
 *
 * A member's funnel vector at an instant x is what {@link StageQueryService.funnel} counts for
 * them "just before `to`" (x = to − 1 µs): entered (1 once first seen), reached_* (the first
 * instant each rank was reached is ≤ x), at_* (the rank at x when not lapsed) and at_lapsed
 * (`lapsed_during` contains x). The vector only changes at the member's stored instants (first
 * seen, reached instants, bounds of lapsed ranges), so each member is stored as the differences of
 * the vector at those instants; the sum of a member's events dated ≤ x is its vector at x.
 *
 * The population of a period is `first_seen ∈ [from, to)` and the events counted are those
 * before `to`; every event is at or after its member's first seen, so this is the quarter-plane
 * `first_seen ≥ from, at < to`. Cells exist at four grains — (first month, event month),
 * (first month, event day), (first day, event month), (first day, event day), UTC — which tile
 * that quarter-plane down to whole days; the partial days at either end are read from
 * `member_stage` (see {@link funnelPlan}).
 */

/** Count columns of `member_stage_cell` (and of the funnel row), in table order. */
export const CELL_COUNTS = [
  'entered', 'reached_user', 'reached_first', 'reached_regular', 'reached_maintainer',
  'at_observer', 'at_user', 'at_first', 'at_regular', 'at_maintainer', 'at_lapsed',
] as const;

/**
 * SQL: the cells of the `member_stage` rows matching `memberCondition` (SQL on alias `s`), one row
 * per (ecosystem_id, scope, grain, first_unit, event_unit) with the summed count columns; cells
 * whose counts are all zero are kept (callers filter).
 *
 * Scopes: `''` every member; `repo:<repository id>` the member counted only from their first
 * activity in the repository (`stage_member_repository.first_at`) on; `org:<organization id>`
 * the member counted only while credited to the organisation (`member_stage_credit`, the credit
 * timeline of affiliation-sql.ts as of the member's last refresh). A scope's counts at an instant
 * are the member's counts times whether the scope holds then, so its events are at the member's
 * instants and the scope's bounds (those at or after first seen).
 */
export function stageCellsSql(memberCondition: string): string {
  const rank = (at: string) => `CASE WHEN s.maintainer_at <= ${at} THEN 5 WHEN s.regular_at <= ${at} THEN 4
    WHEN s.first_contribution_at <= ${at} THEN 3 WHEN s.user_at <= ${at} THEN 2 ELSE 1 END`;
  const delta = CELL_COUNTS.map((c) => `${c} - coalesce(lag(${c}) OVER w, 0) AS ${c}`).join(', ');
  const held = (column: string) => `(${column} * held::int) AS ${column}`;
  // the members' rows are read once (a materialised CTE), then joined to each scope
  return `WITH ms AS MATERIALIZED (SELECT * FROM member_stage s WHERE ${memberCondition}),
    scopes AS (
      SELECT s.ecosystem_id, s.member_id, ''::text AS scope, NULL::tstzmultirange AS during FROM ms s
      UNION ALL
      SELECT s.ecosystem_id, s.member_id, 'repo:' || r.repository_id, tstzmultirange(tstzrange(r.first_at, NULL))
      FROM ms s JOIN stage_member_repository r ON r.member_id = s.member_id AND r.ecosystem_id = s.ecosystem_id
      UNION ALL
      SELECT s.ecosystem_id, s.member_id, 'org:' || c.organization_id, range_agg(tstzrange(c.lo, c.hi))
      FROM ms s JOIN member_stage_credit c ON c.member_id = s.member_id
      GROUP BY 1, 2, 3),
    states AS (
      SELECT s.ecosystem_id, s.member_id, sc.scope, s.first_seen_at, i.t, 1 AS entered,
             coalesce(s.user_at <= i.t, false)::int AS reached_user, coalesce(s.first_contribution_at <= i.t, false)::int AS reached_first,
             coalesce(s.regular_at <= i.t, false)::int AS reached_regular, coalesce(s.maintainer_at <= i.t, false)::int AS reached_maintainer,
             ${rank('i.t')} AS rank, (s.lapsed_during @> i.t) AS lapsed, (sc.during IS NULL OR sc.during @> i.t) AS held
      FROM scopes sc
      JOIN ms s ON s.ecosystem_id = sc.ecosystem_id AND s.member_id = sc.member_id
      CROSS JOIN LATERAL (
        SELECT x AS t FROM unnest(ARRAY[s.first_seen_at, s.user_at, s.first_contribution_at, s.regular_at, s.maintainer_at]) x
        WHERE x IS NOT NULL
        UNION
        SELECT b FROM unnest(s.lapsed_during) r CROSS JOIN LATERAL unnest(ARRAY[lower(r), upper(r)]) b
        WHERE b IS NOT NULL AND isfinite(b)
        UNION
        SELECT b FROM unnest(coalesce(sc.during, '{}'::tstzmultirange)) r CROSS JOIN LATERAL unnest(ARRAY[lower(r), upper(r)]) b
        WHERE b IS NOT NULL AND isfinite(b) AND b > s.first_seen_at) i),
    vectors AS (
      SELECT ecosystem_id, member_id, scope, first_seen_at, t, ${['entered', 'reached_user', 'reached_first', 'reached_regular', 'reached_maintainer'].map(held).join(', ')},
             ((rank = 1 AND NOT lapsed) AND held)::int AS at_observer, ((rank = 2 AND NOT lapsed) AND held)::int AS at_user,
             ((rank = 3 AND NOT lapsed) AND held)::int AS at_first, ((rank = 4 AND NOT lapsed) AND held)::int AS at_regular,
             ((rank = 5 AND NOT lapsed) AND held)::int AS at_maintainer, (lapsed AND held)::int AS at_lapsed
      FROM states),
    events AS (
      SELECT ecosystem_id, scope, first_seen_at, t, ${delta}
      FROM vectors WINDOW w AS (PARTITION BY ecosystem_id, member_id, scope ORDER BY t))
    SELECT e.ecosystem_id, e.scope, g.grain, g.first_unit::text AS first_unit, g.event_unit::text AS event_unit,
           ${CELL_COUNTS.map((c) => `sum(e.${c})::int AS ${c}`).join(', ')}
    FROM events e
    CROSS JOIN LATERAL (VALUES
      ('MM', date_trunc('month', e.first_seen_at, 'UTC')::date, date_trunc('month', e.t, 'UTC')::date),
      ('MD', date_trunc('month', e.first_seen_at, 'UTC')::date, (e.t AT TIME ZONE 'UTC')::date),
      ('DM', (e.first_seen_at AT TIME ZONE 'UTC')::date, date_trunc('month', e.t, 'UTC')::date),
      ('DD', (e.first_seen_at AT TIME ZONE 'UTC')::date, (e.t AT TIME ZONE 'UTC')::date)) g(grain, first_unit, event_unit)
    GROUP BY 1, 2, 3, 4, 5`;
}

/**
 * SQL: replaces the credit snapshot (`member_stage_credit`) of members `$1` (uuid[]) by their
 * credit timeline now (affiliation-sql.ts) and clears their `stage_credit_dirty` marks.
 */
export function refreshCreditsSql(): string[] {
  return [
    `DELETE FROM stage_credit_dirty WHERE member_id = ANY($1::uuid[])`,
    `DELETE FROM member_stage_credit WHERE member_id = ANY($1::uuid[])`,
    `INSERT INTO member_stage_credit (member_id, organization_id, lo, hi)
     SELECT t.member_id, t.organization_id, t.lo, t.hi FROM ${creditTimelineSql('af.member_id = ANY($1::uuid[])')} t`,
  ];
}

/** A range of cells to add: first units in `[firstFrom, firstTo)`, event units in `[eventFrom, eventTo)` (UTC dates). */
export interface CellRange {
  grain: 'MM' | 'MD' | 'DM' | 'DD';
  firstFrom: string;
  firstTo: string;
  eventFrom: string;
  eventTo: string;
}

/** How a period funnel is assembled (see {@link funnelPlan}). */
export interface FunnelPlan {
  /** Cells to sum: members first seen in `[dayFrom, dayTo)`, their events before `dayTo`. */
  cells: CellRange[];
  /** First whole day after `from` and the start of `to`'s day; null when no whole day lies in between. */
  dayFrom: Date | null;
  dayTo: Date | null;
}

const DAY_MS = 86_400_000;
const iso = (date: Date) => date.toISOString().slice(0, 10);
const floorDay = (date: Date) => new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
const floorMonth = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
const ceilMonth = (date: Date) => {
  const month = floorMonth(date);
  return month.getTime() === date.getTime() ? month : new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
};

/**
 * The cells covering members first seen in whole UTC days `[dayFrom, dayTo)` and their events
 * before `dayTo`, with `dayFrom` the first midnight at or after `from` (`from` null: the
 * beginning) and `dayTo` the midnight at or before `to`. Members first seen in the partial days
 * `[from, dayFrom)` and `[dayTo, to)`, and the events in `[dayTo, to)` of members first seen
 * earlier, are the caller's to read from `member_stage`.
 */
export function funnelPlan(from: Date | null, to: Date): FunnelPlan {
  const dayTo = floorDay(to);
  const dayFrom = from ? new Date(Math.ceil(from.getTime() / DAY_MS) * DAY_MS) : null;
  if (dayFrom && dayFrom >= dayTo) return { cells: [], dayFrom: null, dayTo: null };
  const beginning = '-infinity';
  const dF = dayFrom ? iso(dayFrom) : beginning;
  const dT = iso(dayTo);
  const monthTo = floorMonth(dayTo);
  const monthFrom = dayFrom ? ceilMonth(dayFrom) : null;
  const mT = iso(monthTo);
  if (monthFrom && monthFrom > monthTo) {
    // no whole month in between: days only
    return { cells: [{ grain: 'DD', firstFrom: dF, firstTo: dT, eventFrom: beginning, eventTo: dT }], dayFrom, dayTo };
  }
  const mF = monthFrom ? iso(monthFrom) : beginning;
  const ranges: CellRange[] = [
    // whole months of entry: their events in months before to's month, then in the days of to's month before to's day
    { grain: 'MM', firstFrom: mF, firstTo: mT, eventFrom: beginning, eventTo: mT },
    { grain: 'MD', firstFrom: mF, firstTo: mT, eventFrom: mT, eventTo: dT },
    // the days of entry before the first whole month: likewise
    { grain: 'DM', firstFrom: dF, firstTo: mF, eventFrom: beginning, eventTo: mT },
    { grain: 'DD', firstFrom: dF, firstTo: mF, eventFrom: mT, eventTo: dT },
    // the days of entry in to's month: every event before to's day
    { grain: 'DD', firstFrom: mT, firstTo: dT, eventFrom: beginning, eventTo: dT },
  ];
  // an empty range holds no cell, but an index scan of it still walks every cell of its entry units
  // (a period aligned on months has no day of `to`'s month: its MD and DD ranges would read ~1M rows)
  const cells = ranges.filter((range) => range.firstFrom < range.firstTo && range.eventFrom < range.eventTo);
  return { dayFrom, dayTo, cells };
}

/** Count columns of `member_stage_cohort_cell`, in table order. */
export const COHORT_COUNTS = ['size', 'at_observer', 'at_user', 'at_first', 'at_regular', 'at_maintainer', 'at_lapsed'] as const;

/**
 * SQL: `member_stage_cohort_cell` rows of the `member_stage` rows matching `memberCondition`
 * (alias `s`): per (ecosystem_id, first_month, offset_day) the changes of what
 * {@link StageQueryService.cohorts} counts for a member at first seen + d (transitions at or before
 * that instant applied), binned by `offset_day` = ⌈d in days⌉ — so d ≤ N weeks exactly when
 * offset_day ≤ 7N, and a cohort's row for N sums the cells of its month with offset_day ≤ 7N.
 */
export function cohortCellsSql(memberCondition: string): string {
  const delta = COHORT_COUNTS.map((c) => `${c} - coalesce(lag(${c}) OVER w, 0) AS ${c}`).join(', ');
  return `WITH states AS (
      SELECT s.ecosystem_id, s.member_id, s.first_seen_at, i.t, (s.lapsed_during @> i.t) AS lapsed,
             coalesce(s.maintainer_at <= i.t, false) AS m, coalesce(s.regular_at <= i.t, false) AS r,
             coalesce(s.first_contribution_at <= i.t, false) AS f, coalesce(s.user_at <= i.t, false) AS u
      FROM member_stage s
      CROSS JOIN LATERAL (
        SELECT x AS t FROM unnest(ARRAY[s.first_seen_at, s.user_at, s.first_contribution_at, s.regular_at, s.maintainer_at]) x
        WHERE x IS NOT NULL
        UNION
        SELECT b FROM unnest(s.lapsed_during) r CROSS JOIN LATERAL unnest(ARRAY[lower(r), upper(r)]) b
        WHERE b IS NOT NULL AND isfinite(b) AND b >= s.first_seen_at) i
      WHERE ${memberCondition}),
    vectors AS (
      SELECT ecosystem_id, member_id, first_seen_at, t, 1 AS size,
             (NOT u AND NOT f AND NOT r AND NOT m)::int AS at_observer,
             (NOT lapsed AND u AND NOT f AND NOT r AND NOT m)::int AS at_user,
             (NOT lapsed AND f AND NOT r AND NOT m)::int AS at_first,
             (NOT lapsed AND r AND NOT m)::int AS at_regular,
             (NOT lapsed AND m)::int AS at_maintainer,
             lapsed::int AS at_lapsed
      FROM states),
    events AS (
      SELECT ecosystem_id, first_seen_at, t, ${delta}
      FROM vectors WINDOW w AS (PARTITION BY ecosystem_id, member_id ORDER BY t))
    SELECT ecosystem_id, date_trunc('month', first_seen_at, 'UTC')::date::text AS first_month,
           ceil(extract(epoch FROM t - first_seen_at) / 86400)::int AS offset_day,
           ${COHORT_COUNTS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
    FROM events GROUP BY 1, 2, 3`;
}
