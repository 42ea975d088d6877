import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `member_stage_daily`: members of an ecosystem counted by the UTC day of their first activity
 * there (their entry into the funnel): how many entered, how many have reached each stage (or a
 * higher one), and how many are at each stage now (their stored stage). Kept exact by the stage
 * evaluation in the same transaction as `member_stage` (old rows subtracted, new rows added, one
 * statement), so the funnel "up to now" of a whole ecosystem sums a few thousand day rows instead
 * of reading every member. Backfilled from `member_stage`.
 */
export class StagesDaily1764620000001 implements MigrationInterface {
  name = 'StagesDaily1764620000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE member_stage_daily (
        ecosystem_id        integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        day                 date NOT NULL,
        entered             integer NOT NULL DEFAULT 0,
        reached_user        integer NOT NULL DEFAULT 0,
        reached_first       integer NOT NULL DEFAULT 0,
        reached_regular     integer NOT NULL DEFAULT 0,
        reached_maintainer  integer NOT NULL DEFAULT 0,
        at_observer         integer NOT NULL DEFAULT 0,
        at_user             integer NOT NULL DEFAULT 0,
        at_first            integer NOT NULL DEFAULT 0,
        at_regular          integer NOT NULL DEFAULT 0,
        at_maintainer       integer NOT NULL DEFAULT 0,
        at_lapsed           integer NOT NULL DEFAULT 0,
        PRIMARY KEY (ecosystem_id, day)
      );
      INSERT INTO member_stage_daily
      SELECT ecosystem_id, (first_seen_at AT TIME ZONE 'UTC')::date, count(*), count(user_at), count(first_contribution_at),
             count(regular_at), count(maintainer_at),
             count(*) FILTER (WHERE stage = 'OBSERVER'), count(*) FILTER (WHERE stage = 'USER'),
             count(*) FILTER (WHERE stage = 'FIRST_TIME_CONTRIBUTOR'), count(*) FILTER (WHERE stage = 'REGULAR_CONTRIBUTOR'),
             count(*) FILTER (WHERE stage = 'MAINTAINER'), count(*) FILTER (WHERE stage = 'LAPSED')
      FROM member_stage GROUP BY 1, 2;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE member_stage_daily`);
  }
}
