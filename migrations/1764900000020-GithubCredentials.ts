import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GitHub credentials stored per ecosystem, encrypted at rest (issue 8).
 *
 * `github_credential`: an ecosystem's GitHub identity — a token (`kind = 'token'`) or a GitHub App
 * installation (`kind = 'app'`, with `app_id` and `installation_id` in clear: they are not secret) —
 * at most one per ecosystem, and its webhook secrets (`kind = 'webhook_secret'`, several, for
 * rotation). The secret itself (token, App private key, webhook secret) is only in `sealed`:
 * AES-256-GCM nonce ‖ ciphertext ‖ tag under the key `key_id` (libs/secrets), with associated data
 * naming the row (id, ecosystem, kind, App ids), so a value copied to another row does not decrypt.
 * `fingerprint` is a keyed 12-hex-digit HMAC for display; `set_by` the actor (`api-token:<id>`,
 * `member:<id>`).
 */
export class GithubCredentials1764900000020 implements MigrationInterface {
  name = 'GithubCredentials1764900000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE github_credential (
        id              uuid PRIMARY KEY,
        ecosystem_id    integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        kind            text NOT NULL CHECK (kind IN ('token', 'app', 'webhook_secret')),
        app_id          bigint,
        installation_id bigint,
        key_id          text NOT NULL,
        sealed          bytea NOT NULL,
        fingerprint     text NOT NULL,
        set_at          timestamptz NOT NULL DEFAULT now(),
        set_by          text,
        CHECK ((kind = 'app') = (app_id IS NOT NULL AND installation_id IS NOT NULL)),
        CHECK (kind = 'app' OR (app_id IS NULL AND installation_id IS NULL))
      )
    `);
    // one GitHub identity per ecosystem: a token or an App installation
    await queryRunner.query(`CREATE UNIQUE INDEX github_credential_identity_idx ON github_credential (ecosystem_id) WHERE kind IN ('token', 'app')`);
    await queryRunner.query(`CREATE INDEX github_credential_ecosystem_idx ON github_credential (ecosystem_id, kind)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE github_credential`);
  }
}
