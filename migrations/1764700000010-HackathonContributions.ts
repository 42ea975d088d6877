import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Contribution tracking of hackathons (issue 5, case H1 in ../shared/cases/hackathons.md).
 *
 * Facts the eligibility rules read: `pull_request.labels` (label names as GitHub returns them,
 * from the REST list, webhook payloads — `labeled`/`unlabeled` included — and GH Archive) and
 * `repository.topics` (from discovery and webhook `repository` objects). NULL means not known yet
 * (rows stored before this migration, or only seen in payloads without the key); a source whose
 * payload has no `labels`/`topics` key leaves the stored value alone.
 *
 * `hackathon_contribution`: the decision frozen when the event closes, one row per (hackathon,
 * subject). A subject is a pull request (`pr:<repository_id>:<number>`, the same whichever source
 * saw it) or a review (its activity source key `review:<id>`). `facts` are the inputs the
 * decision used (labels, topics, tracked?, registration, team...). Rows first seen after the
 * freeze (`seen_after_freeze`) are stored as not counted: only an override makes them count.
 *
 * `hackathon_contribution_change`: what re-evaluation after the freeze found different from the
 * last known state of a subject (old/new decision, reason and facts, the names of the facts
 * that changed). `seq` numbers the changes of a subject from 1: two evaluations racing on the
 * same subject insert the same `seq`, and the second does nothing.
 *
 * `hackathon_contribution_override`: an organiser's explicit decision on a subject, with reason,
 * who and when; revoking one keeps the row (`revoked_at`, `revoked_by`). At most one active
 * override per subject.
 */
export class HackathonContributions1764700000010 implements MigrationInterface {
  name = 'HackathonContributions1764700000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE pull_request ADD COLUMN labels text[];
      ALTER TABLE repository ADD COLUMN topics text[];

      CREATE TABLE hackathon_contribution (
        hackathon_id       uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        subject_key        text NOT NULL,
        kind               text NOT NULL CHECK (kind IN ('pull_request', 'review')),
        repository_id      bigint NOT NULL,
        pull_request_number integer,
        member_id          uuid NOT NULL REFERENCES member(id),
        occurred_at        timestamptz NOT NULL,
        eligible           boolean NOT NULL,
        reason             text NOT NULL,
        facts              jsonb NOT NULL,
        seen_after_freeze  boolean NOT NULL DEFAULT false,
        frozen_at          timestamptz NOT NULL,
        PRIMARY KEY (hackathon_id, subject_key)
      );
      CREATE INDEX hackathon_contribution_member ON hackathon_contribution (hackathon_id, member_id);

      CREATE TABLE hackathon_contribution_change (
        id            bigserial PRIMARY KEY,
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        subject_key   text NOT NULL,
        seq           integer NOT NULL CHECK (seq >= 1),
        detected_at   timestamptz NOT NULL DEFAULT now(),
        changed       text[] NOT NULL,
        old_eligible  boolean,
        new_eligible  boolean,
        old_reason    text,
        new_reason    text,
        old_facts     jsonb,
        new_facts     jsonb,
        UNIQUE (hackathon_id, subject_key, seq)
      );

      CREATE TABLE hackathon_contribution_override (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id   uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        subject_key    text NOT NULL,
        eligible       boolean NOT NULL,
        reason         text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
        created_by     text NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        revoked_at     timestamptz,
        revoked_by     text,
        revoke_reason  text
      );
      CREATE UNIQUE INDEX hackathon_contribution_override_active
        ON hackathon_contribution_override (hackathon_id, subject_key) WHERE revoked_at IS NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE hackathon_contribution_override;
      DROP TABLE hackathon_contribution_change;
      DROP TABLE hackathon_contribution;
      ALTER TABLE repository DROP COLUMN topics;
      ALTER TABLE pull_request DROP COLUMN labels;
    `);
  }
}
