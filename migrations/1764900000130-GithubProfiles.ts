import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GitHub profiles read for affiliations (issue 4: "source: profile company field").
 *
 * `github_account.profile_etag`, `profile_fetched_at`, `profile_missing_at`: the ETag of the
 * last `200` answer to GitHub REST "Get a user" (`GET /users/{username}`), sent back as
 * `If-None-Match` so an unchanged profile costs a `304` (no rate limit); when the last `200` or
 * `404` was written (UTC instant; a `304` is remembered in Redis, not here, so it writes no row);
 * since when the login answers `404` (deleted, or renamed before Cambrian saw the new login).
 * `github_account.company` keeps the current company text.
 *
 * `github_profile_company`: the company texts a profile showed, each over the half-open range
 * `[observed_from, observed_until)` of UTC instants: from the fetch that first saw it to the
 * fetch that saw it change (or the account gone); the current one has no end. A profile says
 * where someone is now, so the ranges start when Cambrian first observed them, never earlier.
 * Companies set before this migration start at the account's `updated_at`.
 */
export class GithubProfiles1764900000130 implements MigrationInterface {
  name = 'GithubProfiles1764900000130';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE github_account
        ADD COLUMN profile_etag text,
        ADD COLUMN profile_fetched_at timestamptz,
        ADD COLUMN profile_missing_at timestamptz;
      CREATE INDEX github_account_profile_due
        ON github_account ((coalesce(profile_fetched_at, '-infinity'::timestamptz)), id)
        WHERE member_id IS NOT NULL AND type = 'User' AND id > 0;

      CREATE TABLE github_profile_company (
        account_id      bigint NOT NULL REFERENCES github_account(id) ON DELETE CASCADE,
        company         text NOT NULL CHECK (btrim(company) <> ''),
        observed_from   timestamptz NOT NULL,
        observed_until  timestamptz,
        PRIMARY KEY (account_id, observed_from),
        CONSTRAINT github_profile_company_range CHECK (observed_until IS NULL OR observed_until > observed_from)
      );
      CREATE UNIQUE INDEX github_profile_company_open ON github_profile_company (account_id) WHERE observed_until IS NULL;

      INSERT INTO github_profile_company (account_id, company, observed_from)
      SELECT id, btrim(company), updated_at FROM github_account WHERE company IS NOT NULL AND btrim(company) <> '';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE github_profile_company;
      DROP INDEX github_account_profile_due;
      ALTER TABLE github_account DROP COLUMN profile_etag, DROP COLUMN profile_fetched_at, DROP COLUMN profile_missing_at;
    `);
  }
}
