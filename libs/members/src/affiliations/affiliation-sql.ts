/**
 * SQL fragments for "which organisation is a member credited to", for other read models
 * (funnels, CHAOSS metrics) to embed in their own queries. Each function takes SQL
 * expressions (column references or bind placeholders such as `$2`), never values: callers
 * interpolate trusted expressions only and bind the values.
 *
 * Rule (issue 4): a contribution is credited to the organisation the member was with on that
 * date. An affiliation covers the half-open range `[starts_at, ends_at)` of UTC instants (NULL
 * bounds are open). When several cover the instant, the lowest `precedence` wins (0 manual,
 * 1 e-mail domain, 2 profile: manual overrides automatic for the dates they overlap), then the
 * latest start (the more specific evidence), then the earliest created row.
 */

/** `affiliation` row `alias` covers instant `instantExpr` (a timestamptz expression). */
export function affiliationCoversSql(alias: string, instantExpr: string): string {
  return `(${alias}.starts_at IS NULL OR ${alias}.starts_at <= ${instantExpr})
    AND (${alias}.ends_at IS NULL OR ${instantExpr} < ${alias}.ends_at)`;
}

/**
 * A scalar subquery: the id (uuid) of the organisation credited for member `memberIdExpr` at
 * instant `instantExpr`, or NULL when no affiliation covers it. Served by the
 * `affiliation_member` index.
 *
 * @example `SELECT a.id, ${organizationAtSql('a.member_id', 'a.occurred_at')} AS organization_id FROM activity a`
 */
export function organizationAtSql(memberIdExpr: string, instantExpr: string): string {
  return `(SELECT af_at.organization_id FROM affiliation af_at
     WHERE af_at.member_id = ${memberIdExpr} AND ${affiliationCoversSql('af_at', instantExpr)}
     ORDER BY af_at.precedence, af_at.starts_at DESC NULLS LAST, af_at.created_at, af_at.id
     LIMIT 1)`;
}

/** The organisation credited for activity row `activityAlias` (its member at its `occurred_at`). */
export function activityOrganizationSql(activityAlias: string): string {
  return organizationAtSql(`${activityAlias}.member_id`, `${activityAlias}.occurred_at`);
}

/**
 * A boolean condition: the member row `memberAlias` (a table alias exposing `id`) has no
 * affiliation with a customer (paying) organisation. With `instantExpr` only the affiliation
 * credited at that instant counts (a member who joined a customer later was non-paying
 * before); without it, any customer affiliation at any time excludes the member.
 */
export function nonPayingMemberSql(memberAlias: string, instantExpr?: string): string {
  if (instantExpr !== undefined) {
    return `NOT EXISTS (SELECT 1 FROM organization o_np
      WHERE o_np.is_customer AND o_np.id = ${organizationAtSql(`${memberAlias}.id`, instantExpr)})`;
  }
  return `NOT EXISTS (SELECT 1 FROM affiliation af_np JOIN organization o_np ON o_np.id = af_np.organization_id
    WHERE af_np.member_id = ${memberAlias}.id AND o_np.is_customer)`;
}

/**
 * A boolean condition: the organisation credited for member `memberIdExpr` at `instantExpr`
 * is not a customer (including members credited to no organisation). For per-activity filters
 * such as "contributions from non-paying organisations".
 */
export function nonPayingAtSql(memberIdExpr: string, instantExpr: string): string {
  return `NOT EXISTS (SELECT 1 FROM organization o_npa
    WHERE o_npa.is_customer AND o_npa.id = ${organizationAtSql(memberIdExpr, instantExpr)})`;
}

/**
 * The credit timeline as a parenthesised subquery (alias it): for each member, non-overlapping
 * half-open periods `[lo, hi)` (timestamptz; `-infinity` / `infinity` stand for open bounds)
 * with the organisation credited throughout, resolved by the same rule as
 * {@link organizationAtSql}. Columns: `member_id`, `organization_id`, `lo`, `hi`; instants that no
 * affiliation covers have no row. `memberCondition` (SQL on `af.member_id`, e.g.
 * `af.member_id = ANY($1)`) restricts the members computed.
 *
 * Crediting many activities at once by joining them to it
 * (`a.member_id = t.member_id AND a.occurred_at >= t.lo AND a.occurred_at < t.hi`) is set-based,
 * where {@link organizationAtSql} runs one subquery per activity: prefer it for counts over
 * windows (bench/affiliations.ts measures both).
 */
export function creditTimelineSql(memberCondition = 'true'): string {
  return `(WITH bounds AS (
      SELECT af.member_id, coalesce(af.starts_at, '-infinity'::timestamptz) AS at FROM affiliation af WHERE ${memberCondition}
      UNION
      SELECT af.member_id, coalesce(af.ends_at, 'infinity'::timestamptz) FROM affiliation af WHERE ${memberCondition}),
    segments AS (
      SELECT b.member_id, b.at AS lo, lead(b.at) OVER (PARTITION BY b.member_id ORDER BY b.at) AS hi FROM bounds b)
    SELECT s.member_id, winner.organization_id, s.lo, s.hi
      FROM segments s
      CROSS JOIN LATERAL (
        SELECT af_tl.organization_id FROM affiliation af_tl
         WHERE af_tl.member_id = s.member_id
           AND coalesce(af_tl.starts_at, '-infinity'::timestamptz) <= s.lo
           AND s.lo < coalesce(af_tl.ends_at, 'infinity'::timestamptz)
         ORDER BY af_tl.precedence, af_tl.starts_at DESC NULLS LAST, af_tl.created_at, af_tl.id
         LIMIT 1) winner
     WHERE s.hi IS NOT NULL)`;
}
