import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stages on the path from user to maintainer (issue 4, "Stages and the funnel"); the rules
 * themselves are documented in libs/members/src/stages/stage-rules.ts.
 *
 * `stage_rules`: the rules an admin set, one row per ecosystem plus one global row
 * (`ecosystem_id` NULL); without a row the built-in defaults apply (rule version 0). Every save
 * takes a new `version` from one sequence, so a version names one exact rule set.
 *
 * `member_stage_transition`: every stage change of a member in an ecosystem, dated at the
 * instant of the activity that caused it (`activity_id`; for LAPSED the member's last
 * contribution, N weeks after which they lapsed), with the rule version that produced it.
 * Unique per (ecosystem, member, instant, stage), so replays and concurrent evaluations cannot
 * store a change twice.
 *
 * `member_stage`: the current state of a member in an ecosystem, derived from the transitions
 * for fast reads: the first instant each rank was reached (a member who skips a stage reaches it
 * at the same instant as the next), the lapsed periods as a multirange of `[lapsed, returned)`
 * ranges, counters for the "ready for the next step" lists, and when the member lapses if
 * nothing new arrives (`lapse_due_at`, read by the scheduled lapse check). Persons only: bots
 * and the deleted-user sentinel never have a row.
 *
 * `stage_member_repository`: which repositories a member was active in (first instant), for
 * funnels filtered by repository without reading raw activities.
 */
export class Stages1764620000000 implements MigrationInterface {
  name = 'Stages1764620000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE SEQUENCE stage_rules_version;

      CREATE TABLE stage_rules (
        ecosystem_id  integer REFERENCES ecosystem(id) ON DELETE CASCADE,
        rules         jsonb NOT NULL,
        version       bigint NOT NULL DEFAULT nextval('stage_rules_version'),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        updated_by    text,
        CONSTRAINT stage_rules_one_per_scope UNIQUE NULLS NOT DISTINCT (ecosystem_id)
      );

      CREATE TABLE member_stage_transition (
        id            bigserial PRIMARY KEY,
        ecosystem_id  integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        member_id     uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        from_stage    text CHECK (from_stage IN ('OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED')),
        to_stage      text NOT NULL CHECK (to_stage IN ('OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED')),
        at            timestamptz NOT NULL,
        activity_id   bigint,
        rule_version  bigint NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT member_stage_transition_once UNIQUE (ecosystem_id, member_id, at, to_stage)
      );
      CREATE INDEX member_stage_transition_member ON member_stage_transition (member_id, at);
      CREATE INDEX member_stage_transition_time ON member_stage_transition (ecosystem_id, at);

      CREATE TABLE member_stage (
        ecosystem_id           integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        member_id              uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        stage                  text NOT NULL CHECK (stage IN ('OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER', 'LAPSED')),
        stage_since            timestamptz NOT NULL,
        first_seen_at          timestamptz NOT NULL,
        user_at                timestamptz,
        first_contribution_at  timestamptz,
        regular_at             timestamptz,
        maintainer_at          timestamptz,
        lapsed_during          tstzmultirange NOT NULL DEFAULT '{}',
        last_activity_at       timestamptz NOT NULL,
        last_contribution_at   timestamptz,
        lapse_due_at           timestamptz,
        contribution_weeks     date[] NOT NULL DEFAULT '{}',
        issues_opened          integer NOT NULL DEFAULT 0,
        pull_requests_opened   integer NOT NULL DEFAULT 0,
        reviews_of_others      integer NOT NULL DEFAULT 0,
        rule_version           bigint NOT NULL,
        evaluated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (ecosystem_id, member_id)
      );
      -- the funnel and cohorts: one index-only range scan per ecosystem and entry period
      CREATE INDEX member_stage_funnel ON member_stage (ecosystem_id, first_seen_at)
        INCLUDE (member_id, user_at, first_contribution_at, regular_at, maintainer_at, lapsed_during);
      CREATE INDEX member_stage_current ON member_stage (ecosystem_id, stage, last_activity_at DESC, member_id);
      CREATE INDEX member_stage_member ON member_stage (member_id);
      CREATE INDEX member_stage_lapse_due ON member_stage (lapse_due_at) WHERE lapse_due_at IS NOT NULL;

      CREATE TABLE stage_member_repository (
        repository_id  bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        member_id      uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        ecosystem_id   integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        first_at       timestamptz NOT NULL,
        PRIMARY KEY (repository_id, member_id)
      );
      CREATE INDEX stage_member_repository_member ON stage_member_repository (member_id);

      -- who merged whose pull request (the maintainer rule), per merger
      CREATE INDEX pull_request_merged_by ON pull_request (merged_by_account_id) WHERE merged_by_account_id IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX pull_request_merged_by;
      DROP TABLE stage_member_repository, member_stage, member_stage_transition, stage_rules;
      DROP SEQUENCE stage_rules_version;
    `);
  }
}
