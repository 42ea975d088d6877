import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Roles (issue 8): organiser grants.
 *
 * `access_grant`: a member made ORGANIZER of one ecosystem (every hackathon in it, present and
 * future) or of one hackathon. Exactly one of `ecosystem_id` and `hackathon_id` is set. Grants are
 * held by a member id and read through `member_root(member_id)`, so a grant follows member merges
 * like registrations do. A revoked grant keeps its row (`revoked_at`, `revoked_by`) for the record;
 * at most one live grant per member and scope. `granted_by`/`revoked_by` are actors as in audit
 * columns (`api-token:<id>`, `member:<id>`). Admins are not stored here: ADMIN comes from the API
 * token's role or from ADMIN_GITHUB_LOGINS at sign-in; JUDGE from `judge` rows; MEMBER from the
 * session.
 */
export class AccessGrants1764900000000 implements MigrationInterface {
  name = 'AccessGrants1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE access_grant (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id    uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        role         text NOT NULL CHECK (role IN ('organizer')),
        ecosystem_id integer REFERENCES ecosystem(id) ON DELETE CASCADE,
        hackathon_id uuid REFERENCES hackathon(id) ON DELETE CASCADE,
        granted_by   text,
        granted_at   timestamptz NOT NULL DEFAULT now(),
        revoked_by   text,
        revoked_at   timestamptz,
        CHECK ((ecosystem_id IS NULL) <> (hackathon_id IS NULL))
      )
    `);
    await queryRunner.query(`CREATE INDEX access_grant_member_idx ON access_grant (member_id) WHERE revoked_at IS NULL`);
    await queryRunner.query(`
      CREATE UNIQUE INDEX access_grant_live_uq ON access_grant (member_id, role, coalesce(ecosystem_id, 0), coalesce(hackathon_id, '00000000-0000-0000-0000-000000000000'::uuid))
        WHERE revoked_at IS NULL
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE access_grant`);
  }
}
