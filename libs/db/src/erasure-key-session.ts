import pg from 'pg';
import { assertErasureKeyShape, readErasureKey, type SecretBox } from '#libs/secrets';

/**
 * The Postgres setting that carries the erasure hash key on a connection: `erasure_key_hash`
 * (migration 1764900000160) reads it and raises when it is absent. It is given at connection
 * start-up only (never stored in the database, never SET by a statement a log could record).
 */
export const ERASURE_KEY_SETTING = 'cambrian.erasure_key';

/**
 * The startup option (pg's `options`, libpq's `-c name=value`) that gives a connection the erasure
 * key: pass it as `options` of a `pg.Pool`/`pg.Client`, or in TypeORM's `extra.options`. Postgres
 * applies it before the connection runs its first query, so no query can race it.
 * @param others further `-c` options of the same connection (e.g. `-c jit=off`).
 * @throws Error when `key` is not an erasure key's shape (hex), which also keeps it from injecting options.
 */
export function erasureKeyOptions(key: string, others = ''): string {
  return `${others ? `${others} ` : ''}-c ${ERASURE_KEY_SETTING}=${assertErasureKeyShape(key)}`;
}

/**
 * Decrypts the erasure key stored in the database at `databaseUrl` (one plain pg connection), for
 * a process about to open its connections: call at start-up so a key that does not open stops the
 * process there, not at the first deletion.
 * @throws Error when the database is not migrated yet (no `erasure_key` table); SecretsException
 *   naming CAMBRIAN_SECRETS_KEY and CAMBRIAN_SECRETS_OLD_KEYS when no configured key opens it.
 */
export async function loadErasureKey(databaseUrl: string, box: SecretBox): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'cambrian-erasure-key' });
  await client.connect();
  try {
    const key = await readErasureKey(client, box);
    if (key === null) throw new Error('the database has no erasure_key table yet: run `cambrian migrate` (or start the api or worker, which migrate) first');
    return key;
  } finally {
    await client.end();
  }
}
