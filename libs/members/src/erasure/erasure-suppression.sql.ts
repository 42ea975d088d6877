import type { EntityManager } from 'typeorm';

/** Where an identity key of an erased member now resolves (see {@link findSuppressed}). */
export interface SuppressedIdentity {
  /** The anonymous member (the erased member's row). */
  memberId: string;
  /** Its `erased` identity, which activities of the suppressed account or address are credited to. */
  identityId: string;
}

/**
 * The identity keys (`github:<account id>`, `email:<lower-cased address>`, as `identityKey` writes
 * them) that belong to erased members, and the anonymous member each maps to. Only the keyed hash
 * of a key is stored (`erasure_suppression.key_hash = erasure_key_hash(key)`, migration
 * 1764900000030), so the account id or address itself is never kept.
 * @returns a map from each suppressed key of `keys` to its member; keys not suppressed are absent.
 */
export async function findSuppressed(db: Pick<EntityManager, 'query'>, keys: string[]): Promise<Map<string, SuppressedIdentity>> {
  const unique = [...new Set(keys)];
  if (unique.length === 0) return new Map();
  const rows: Array<{ key: string; member_id: string; identity_id: string }> = await db.query(
    `SELECT k.key, s.member_id, i.id AS identity_id
       FROM unnest($1::text[]) AS k(key)
       JOIN erasure_suppression s ON s.key_hash = erasure_key_hash(k.key)
       JOIN identity i ON i.platform = 'erased' AND i.key = s.member_id::text`,
    [unique],
  );
  return new Map(rows.map((row) => [row.key, { memberId: row.member_id, identityId: row.identity_id }]));
}

/**
 * A SQL condition true when the identity key `keyExpr` (a text expression) belongs to an erased
 * member, for statements that filter arrivals in sets (e.g. linked e-mail addresses).
 */
export function suppressedKeySql(keyExpr: string): string {
  return `EXISTS (SELECT 1 FROM erasure_suppression s WHERE s.key_hash = erasure_key_hash(${keyExpr}))`;
}
