import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity resolution, part two (issue 4): login holders, evidence, merge suggestions, merges.
 *
 * Logins. GitHub compares logins case-insensitively and lets a login be reused after a rename
 * (GitHub Docs, "Changing your GitHub username"), so two stored accounts can hold one login: the
 * renamed account whose rename Cambrian has not seen yet, and the new holder. A unique index on
 * `lower(login)` would refuse the new holder's row (case I2). Instead `login_set_at` records when
 * the stored login was last seen first-hand (the API or a webhook naming the account): `-infinity`
 * for a login only inferred (a noreply address, GH Archive history), and the *current holder* of a
 * login is the account with the latest `login_set_at` (ties: the higher id, the newer account).
 * `github_account_login_holder` serves that lookup case-insensitively.
 *
 * Members. `merged_into_id` marks a member whose identities an admin or the merge sweep moved into
 * another member; the row stays so that an unmerge restores the same id.
 *
 * Evidence. `identity_evidence`: facts about one identity, kept as found: GitHub's API linked the
 * address to an account (`api_link`), an account's verified address (`verified_email`), a noreply
 * address whose id disagrees with the API's author id (`noreply_id_mismatch`, a flag: never merged).
 *
 * Merges. `member_merge` is the audit record of one merge (the identities and accounts moved, the
 * two members before and after, who, when, why) and of its undoing. `member_merge_suggestion`
 * pairs two members with the evidence behind joining them; conclusive evidence is merged by the
 * merge sweep, the rest waits for an admin. One suggestion per pair and evidence kind, so a
 * rejected one is never suggested again.
 */
export class IdentityMerges1764600000000 implements MigrationInterface {
  name = 'IdentityMerges1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE github_account ADD COLUMN login_set_at timestamptz NOT NULL DEFAULT now();
      DROP INDEX github_account_login;
      CREATE INDEX github_account_login_holder ON github_account (lower(login), login_set_at DESC, id DESC);

      ALTER TABLE member ADD COLUMN merged_into_id uuid REFERENCES member(id);
      CREATE INDEX member_merged_into ON member (merged_into_id) WHERE merged_into_id IS NOT NULL;

      CREATE TABLE identity_evidence (
        id           bigserial PRIMARY KEY,
        identity_id  uuid NOT NULL REFERENCES identity(id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('api_link', 'verified_email', 'noreply_id_mismatch')),
        -- what the evidence points at: a GitHub account id (api_link, verified_email), an address (mismatch)
        subject      text NOT NULL,
        detail       jsonb NOT NULL DEFAULT '{}',
        observed_at  timestamptz NOT NULL DEFAULT now(),
        UNIQUE (identity_id, kind, subject)
      );
      CREATE INDEX identity_evidence_kind ON identity_evidence (kind, observed_at);

      CREATE TABLE member_merge (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        into_member_id   uuid NOT NULL REFERENCES member(id),
        from_member_id   uuid NOT NULL REFERENCES member(id),
        identity_ids     uuid[] NOT NULL,
        account_ids      bigint[] NOT NULL DEFAULT '{}',
        before           jsonb NOT NULL,
        after            jsonb NOT NULL,
        activities_moved integer NOT NULL DEFAULT 0,
        reason           text NOT NULL CHECK (length(trim(reason)) > 0),
        merged_by        text NOT NULL,
        merged_at        timestamptz NOT NULL DEFAULT now(),
        unmerged_at      timestamptz,
        unmerged_by      text,
        unmerge_reason   text,
        CHECK (into_member_id <> from_member_id)
      );
      CREATE INDEX member_merge_into ON member_merge (into_member_id, merged_at);
      CREATE INDEX member_merge_from ON member_merge (from_member_id, merged_at);

      CREATE TABLE member_merge_suggestion (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_id        uuid NOT NULL REFERENCES member(id),
        other_member_id  uuid NOT NULL REFERENCES member(id),
        evidence_kind    text NOT NULL CHECK (evidence_kind IN (
                           'api_link', 'verified_email', 'noreply_login', 'author_name_is_login')),
        evidence         jsonb NOT NULL,
        conclusive       boolean NOT NULL,
        status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'rejected')),
        merge_id         uuid REFERENCES member_merge(id),
        created_at       timestamptz NOT NULL DEFAULT now(),
        decided_at       timestamptz,
        decided_by       text,
        CHECK (member_id <> other_member_id)
      );
      CREATE UNIQUE INDEX member_merge_suggestion_pair ON member_merge_suggestion
        (least(member_id, other_member_id), greatest(member_id, other_member_id), evidence_kind);
      CREATE INDEX member_merge_suggestion_status ON member_merge_suggestion (status, created_at, id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE member_merge_suggestion, member_merge, identity_evidence;
      ALTER TABLE member DROP COLUMN merged_into_id;
      DROP INDEX github_account_login_holder;
      ALTER TABLE github_account DROP COLUMN login_set_at;
      CREATE INDEX github_account_login ON github_account (lower(login));
    `);
  }
}
