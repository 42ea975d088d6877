/** The display name an erased member shows instead of any name (its login is null). */
export const erasedMemberName = 'Deleted member';

/** A deletion of a member's personal data, as `member_erasure` records it (no personal data). */
export interface MemberErasureRecord {
  /** The erased member (the root of its merge chain); the row stays as the anonymous placeholder. */
  memberId: string;
  /** Who asked: `member:<uuid>` (the member themself) or `api-token:<uuid>` (an admin token). */
  requestedBy: string;
  /** When it was asked (UTC instant). */
  requestedAt: Date;
  /** When the data was removed (UTC instant; the deletion runs at once, in one transaction). */
  completedAt: Date | null;
  /** Rows changed or removed, by kind (`activities`, `identities`, `githubAccounts`...). */
  removed: Record<string, number>;
  /** True when the member had been erased before this request (nothing changed). */
  alreadyErased: boolean;
}

/**
 * SQL opening a `WITH RECURSIVE grp(id)` of the member `rootExpr` (a uuid expression) and every
 * member merged into it, directly or through a chain (`merged_into_id`).
 */
export function memberGroupSql(rootExpr: string): string {
  return `WITH RECURSIVE grp(id) AS (
            SELECT ${rootExpr}::uuid
            UNION SELECT m.id FROM member m JOIN grp ON m.merged_into_id = grp.id
          )`;
}
