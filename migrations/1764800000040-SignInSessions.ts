import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in (issue 8).
 *
 * `auth_session`: a person signed in through GitHub OAuth. Only the SHA-256 of the session secret
 * (the cookie's value) is stored (`token_hash`); `member_id` is the member linked to the GitHub
 * account (`github_account_id`, the login as GitHub reported it at sign-in in `github_login`);
 * `role` is ADMIN (login listed in ADMIN_GITHUB_LOGINS at sign-in) or MEMBER. A session is valid
 * while `revoked_at` is null and `expires_at` is in the future; `last_seen_at` is written at most
 * once a minute.
 *
 * `api_token.scopes`: what a token may do, `read` (queries) and/or `write` (mutations); tokens
 * created before keep both.
 */
export class SignInSessions1764800000040 implements MigrationInterface {
  name = 'SignInSessions1764800000040';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE auth_session (
        id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash        text NOT NULL UNIQUE,
        member_id         uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        github_account_id bigint NOT NULL,
        github_login      text NOT NULL,
        role              text NOT NULL CHECK (role IN ('admin', 'member')),
        created_at        timestamptz NOT NULL DEFAULT now(),
        expires_at        timestamptz NOT NULL,
        revoked_at        timestamptz,
        last_seen_at      timestamptz
      )
    `);
    await queryRunner.query(`CREATE INDEX auth_session_member_idx ON auth_session (member_id)`);
    await queryRunner.query(`
      ALTER TABLE api_token
        ADD COLUMN scopes text[] NOT NULL DEFAULT '{read,write}'
          CHECK (scopes <@ ARRAY['read', 'write']::text[] AND cardinality(scopes) > 0)
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_token DROP COLUMN scopes`);
    await queryRunner.query(`DROP TABLE auth_session`);
  }
}
