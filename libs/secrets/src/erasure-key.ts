import type { SecretBox, SealedSecret } from './secret-box.js';
import { SecretsException } from './secrets.exception.js';

/**
 * The associated data the erasure key is sealed with (see {@link SecretBox.seal}): a ciphertext
 * copied from a GitHub credential's row does not open as the erasure key, nor the reverse.
 */
export const ERASURE_KEY_ASSOCIATED_DATA = 'erasure_key';

/** How messages name the erasure key. */
const WHAT = 'the erasure hash key (table erasure_key)';

/** The shape of a stored erasure key: hex digits only, so it can travel in a `-c name=value` startup option. */
const ERASURE_KEY_SHAPE = /^[0-9a-f]{32,128}$/;

/** Anything that runs a parameterised query and returns rows (a `pg.Client`, `pg.Pool`, a TypeORM QueryRunner's `query` wrapped). */
export interface ErasureKeyQueryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
}

/**
 * Checks that `key` is an erasure key as migrations draw it (32 to 128 lower-case hex digits).
 * @throws Error (never echoing the value) otherwise.
 */
export function assertErasureKeyShape(key: string): string {
  if (!ERASURE_KEY_SHAPE.test(key)) throw new Error(`${WHAT} is not 32 to 128 lower-case hex digits (length ${key.length})`);
  return key;
}

/**
 * Seals the erasure key under the current secrets key.
 * @throws SecretsException KEY_MISSING without a current key (production without CAMBRIAN_SECRETS_KEY).
 */
export function sealErasureKey(box: SecretBox, key: string): SealedSecret {
  return box.seal(assertErasureKeyShape(key), ERASURE_KEY_ASSOCIATED_DATA);
}

/**
 * Opens a sealed erasure key.
 * @throws SecretsException KEY_UNKNOWN when it is sealed under a key this process does not hold (the
 *   message names CAMBRIAN_SECRETS_KEY, CAMBRIAN_SECRETS_OLD_KEYS and the key ids); DECRYPT_FAILED
 *   when authentication fails (altered row), with a message saying the deletion hashes need that key.
 */
export function openErasureKey(box: SecretBox, value: SealedSecret): string {
  try {
    return assertErasureKeyShape(box.open(value, ERASURE_KEY_ASSOCIATED_DATA, WHAT));
  } catch (error) {
    if (error instanceof SecretsException) {
      throw new SecretsException(
        `${error.message}. Cambrian cannot start without it: member deletions are recorded as hashes under this key ` +
          `(README "Your data: export and deletion"), and it cannot be drawn again`,
        error.code,
      );
    }
    throw error;
  }
}

/**
 * Reads and opens the stored erasure key (table `erasure_key`, migration 1764900000160).
 * @returns the key, or null when the table does not exist yet (a database not migrated that far).
 * @throws Error when the table exists without its row; SecretsException as {@link openErasureKey}.
 */
export async function readErasureKey(db: ErasureKeyQueryable, box: SecretBox): Promise<string | null> {
  const table = await db.query(`SELECT to_regclass('erasure_key') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return null;
  const { rows } = await db.query(`SELECT key_id, sealed FROM erasure_key`);
  const row = rows[0] as { key_id: string; sealed: Buffer } | undefined;
  if (!row) throw new Error(`${WHAT} is missing: the table erasure_key has no row (restore it from a backup of this database)`);
  return openErasureKey(box, { keyId: row.key_id, sealed: row.sealed });
}

/** What {@link rotateErasureKey} did. */
export type ErasureKeyRotation = 'reencrypted' | 'already-current' | 'absent';

/**
 * Re-seals the stored erasure key under the current secrets key when it is under another one (part
 * of `cambrian secrets rotate`); the key itself never changes (the stored hashes depend on it). The
 * row is replaced only if unchanged meanwhile; a row another rotation put under the current key
 * meanwhile counts as 'already-current'.
 * @throws Error when the row changed meanwhile to another key (run the rotation again).
 * @throws SecretsException KEY_MISSING without a current key; as {@link openErasureKey}.
 */
export async function rotateErasureKey(db: ErasureKeyQueryable, box: SecretBox): Promise<ErasureKeyRotation> {
  const currentKeyId = box.requireCurrentKeyId();
  const table = await db.query(`SELECT to_regclass('erasure_key') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return 'absent';
  const { rows } = await db.query(`SELECT key_id, sealed FROM erasure_key`);
  const row = rows[0] as { key_id: string; sealed: Buffer } | undefined;
  if (!row) return 'absent';
  if (row.key_id === currentKeyId) return 'already-current';
  const resealed = sealErasureKey(box, openErasureKey(box, { keyId: row.key_id, sealed: row.sealed }));
  const updated = await db.query(
    `UPDATE erasure_key SET key_id = $1, sealed = $2, sealed_at = now() WHERE key_id = $3 AND sealed = $4 RETURNING 1`,
    [resealed.keyId, resealed.sealed, row.key_id, row.sealed],
  );
  if (updated.rows.length === 1) return 'reencrypted';
  // replaced meanwhile: by a concurrent rotation to the same key, the outcome this one wanted
  const now = await db.query(`SELECT key_id FROM erasure_key`);
  if (now.rows[0]?.key_id === currentKeyId) return 'already-current';
  throw new Error(`${WHAT} changed while it was being re-encrypted; run the rotation again`);
}
