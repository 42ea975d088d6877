import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { openErasureKey, sealErasureKey } from '#libs/secrets';
import { migrationSecrets } from './support/migration-secrets.js';

/** The hash of MemberErasure1764900000030, reading the key from its table (restored by `down`). */
const ERASURE_KEY_HASH_FROM_TABLE = `
  CREATE OR REPLACE FUNCTION erasure_key_hash(identity_key text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
      SELECT encode(sha256(convert_to(s.secret, 'UTF8') || sha256(convert_to(s.secret || identity_key, 'UTF8'))), 'hex')
        FROM erasure_secret s
    $$;`;

/**
 * The erasure hash key stored only encrypted (issue 8, security: a copy of the database alone lets
 * no one test guesses against `erasure_suppression`).
 *
 * - `erasure_key`: the key of `erasure_key_hash` sealed with the secrets box (AES-256-GCM under
 *   CAMBRIAN_SECRETS_KEY, associated data `erasure_key`; libs/secrets/src/erasure-key.ts), with the
 *   id of the key that sealed it. The key itself is the one MemberErasure1764900000030 drew (the
 *   stored hashes cannot be recomputed, so it never changes); on a database created after this
 *   migration existed, it is drawn here (48 random bytes, hex), never stored in plain.
 * - `erasure_secret` (the key in plain) is dropped: its file goes with it, where an UPDATE would leave
 *   the old row in the table's pages until a vacuum.
 * - `erasure_key_hash(identity_key)` computes the same hash, sha256(K || sha256(K || identity_key)),
 *   from the connection's setting `cambrian.erasure_key`, which every Cambrian connection sets at
 *   start-up (`-c cambrian.erasure_key=…`, libs/db/src/erasure-key-session.ts) from the key the process
 *   decrypted; without it the function raises (SQLSTATE 55000) instead of hashing nothing, so a write
 *   through a connection without the key fails rather than skipping the anonymisation. One SQL
 *   expression, which the planner inlines into the triggers' queries (no per-call table read).
 * - `down` opens the key and stores it in plain again (and the former function).
 */
export class ErasureKeySealed1764900000160 implements MigrationInterface {
  name = 'ErasureKeySealed1764900000160';

  async up(queryRunner: QueryRunner): Promise<void> {
    const box = migrationSecrets(queryRunner.connection, this.name);
    const rows: Array<{ secret: string }> = await queryRunner.query(`SELECT secret FROM erasure_secret`);
    const key = rows[0]?.secret ?? randomBytes(48).toString('hex');
    const sealed = sealErasureKey(box, key);
    await queryRunner.query(`
      CREATE TABLE erasure_key (
        id         boolean PRIMARY KEY DEFAULT true CHECK (id),
        key_id     text NOT NULL,
        sealed     bytea NOT NULL,
        sealed_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`INSERT INTO erasure_key (key_id, sealed) VALUES ($1, $2)`, [sealed.keyId, sealed.sealed]);
    await queryRunner.query(`
      DROP TABLE erasure_secret;

      CREATE FUNCTION erasure_key_missing() RETURNS text
        LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
      BEGIN
        RAISE EXCEPTION 'erasure_key_hash needs the setting cambrian.erasure_key, which this connection does not have'
          USING ERRCODE = '55000',
                HINT = 'Cambrian processes set it on every connection (-c cambrian.erasure_key=...) from the key stored encrypted in erasure_key; connect through Cambrian, or give the connection that option';
      END $$;

      CREATE OR REPLACE FUNCTION erasure_key_hash(identity_key text) RETURNS text
        LANGUAGE sql STABLE PARALLEL SAFE AS $$
          SELECT encode(sha256(
                   convert_to(COALESCE(NULLIF(current_setting('cambrian.erasure_key', true), ''), erasure_key_missing()), 'UTF8')
                   || sha256(convert_to(COALESCE(NULLIF(current_setting('cambrian.erasure_key', true), ''), erasure_key_missing()) || identity_key, 'UTF8'))),
                 'hex')
        $$;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const box = migrationSecrets(queryRunner.connection, this.name);
    const rows: Array<{ key_id: string; sealed: Buffer }> = await queryRunner.query(`SELECT key_id, sealed FROM erasure_key`);
    if (!rows[0]) throw new Error('erasure_key has no row: there is no erasure hash key to restore');
    const key = openErasureKey(box, { keyId: rows[0].key_id, sealed: rows[0].sealed });
    await queryRunner.query(`
      CREATE TABLE erasure_secret (
        id      boolean PRIMARY KEY DEFAULT true CHECK (id),
        secret  text NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO erasure_secret (secret) VALUES ($1)`, [key]);
    await queryRunner.query(`
      ${ERASURE_KEY_HASH_FROM_TABLE}
      DROP FUNCTION erasure_key_missing();
      DROP TABLE erasure_key;
    `);
  }
}
