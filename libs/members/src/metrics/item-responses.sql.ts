/**
 * SQL fragments about responses to an issue or pull request, shared by Time to First Response
 * and the issue / pull request flow. A response is an issue comment, a review comment or a
 * submitted review on the item (matched by repository and `facts.number`: issues and pull
 * requests share one number space per repository on GitHub), by a member other than the item's
 * author who is not a bot (CHAOSS, Time to First Response: "filter bots"). The deleted-user
 * sentinel counts: a person answered, even if the account is gone. Removed activities do not
 * count, nor does anything dated before the item (imported history with skewed clocks). Served by
 * the partial index `activity_item_response`.
 */

/** Activity types that respond to an item. */
export const RESPONSE_TYPES = ['issue_comment', 'review_comment', 'review'] as const;

const responseFilter = (alias: string, item: string) =>
  `${alias}.type IN ('issue_comment', 'review_comment', 'review') AND ${alias}.removed_at IS NULL
   AND ${alias}.repository_id = ${item}.repository_id AND (${alias}.facts->>'number') = ${item}.number::text
   AND ${alias}.occurred_at >= ${item}.created_at AND ${alias}.member_id IS DISTINCT FROM ${item}.author_id
   AND NOT EXISTS (SELECT 1 FROM member rb WHERE rb.id = ${alias}.member_id AND rb.kind = 'bot')`;

/**
 * A scalar subquery: the UTC instant of the first response to item `item` (a relation with
 * `repository_id`, `number`, `author_id` — the author's member id, null when unknown), or NULL.
 */
export function firstResponseAtSql(item: string): string {
  return `(SELECT min(fr.occurred_at) FROM activity fr WHERE ${responseFilter('fr', item)})`;
}

/**
 * A scalar subquery: JSON array of the decisive reviews of pull request `item` by others
 * (state APPROVED, CHANGES_REQUESTED or DISMISSED, upper-cased since webhook payloads send
 * lower case), oldest first: `[{ "reviewer": uuid, "state": text, "at": instant }]`.
 */
export function decisiveReviewsSql(item: string): string {
  return `(SELECT coalesce(json_agg(json_build_object('reviewer', rv.member_id, 'state', upper(rv.facts->>'state'), 'at', rv.occurred_at)
                                    ORDER BY rv.occurred_at, rv.id), '[]'::json)
             FROM activity rv
            WHERE rv.type = 'review' AND ${responseFilter('rv', item)}
              AND upper(rv.facts->>'state') IN ('APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'))`;
}
