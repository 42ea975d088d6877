import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hackathon judging (issue 5): criteria, judges, judge ↔ submission assignments and scores.
 *
 * `judging_criterion`: what a hackathon's submissions are scored on. `weight` > 0 (relative:
 * only ratios between a hackathon's weights matter); every value is given on the criterion's
 * own scale `[scale_min, scale_max]` (e.g. 1–10). Names are unique per hackathon, case-insensitively.
 *
 * `judge`: a member who judges one hackathon (one row per hackathon and member).
 *
 * `judge_assignment`: a judge is asked to score a submission. Conflicts of interest (the judge
 * is on the submission's team, or shares an organisation with one of its members at the time of
 * judging) are refused by the service at assignment and again at scoring, since affiliations
 * change over time.
 *
 * `judge_score`: one value per (judge, submission, criterion), within the criterion's scale
 * (checked by the service, which knows the scale), with an optional comment; a new value
 * replaces the old one (`updated_at`). A score needs its assignment: removing the assignment
 * (or the judge) removes its scores.
 */
export class Judging1764700000020 implements MigrationInterface {
  name = 'Judging1764700000020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE judging_criterion (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        name          text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 100),
        description   text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
        weight        numeric(12, 4) NOT NULL CHECK (weight > 0),
        scale_min     numeric(12, 4) NOT NULL DEFAULT 1,
        scale_max     numeric(12, 4) NOT NULL DEFAULT 10,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT judging_criterion_scale CHECK (scale_max > scale_min)
      );
      CREATE UNIQUE INDEX judging_criterion_name ON judging_criterion (hackathon_id, lower(name));

      CREATE TABLE judge (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        hackathon_id  uuid NOT NULL REFERENCES hackathon(id) ON DELETE CASCADE,
        member_id     uuid NOT NULL REFERENCES member(id),
        added_at      timestamptz NOT NULL DEFAULT now(),
        UNIQUE (hackathon_id, member_id)
      );
      CREATE INDEX judge_member ON judge (member_id);

      CREATE TABLE judge_assignment (
        judge_id       uuid NOT NULL REFERENCES judge(id) ON DELETE CASCADE,
        submission_id  uuid NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
        assigned_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (judge_id, submission_id)
      );
      CREATE INDEX judge_assignment_submission ON judge_assignment (submission_id);

      CREATE TABLE judge_score (
        judge_id       uuid NOT NULL,
        submission_id  uuid NOT NULL,
        criterion_id   uuid NOT NULL REFERENCES judging_criterion(id) ON DELETE CASCADE,
        value          numeric(12, 4) NOT NULL,
        comment        text NOT NULL DEFAULT '' CHECK (length(comment) <= 5000),
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (judge_id, submission_id, criterion_id),
        FOREIGN KEY (judge_id, submission_id) REFERENCES judge_assignment (judge_id, submission_id) ON DELETE CASCADE
      );
      CREATE INDEX judge_score_submission ON judge_score (submission_id);
      CREATE INDEX judge_score_criterion ON judge_score (criterion_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE judge_score;
      DROP TABLE judge_assignment;
      DROP TABLE judge;
      DROP TABLE judging_criterion;
    `);
  }
}
