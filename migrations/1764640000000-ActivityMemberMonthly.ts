import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The month of an activity row `x` (UTC), as a date. */
const MONTH = `date_trunc('month', x.occurred_at AT TIME ZONE 'UTC')::date`;

/** Net change per (member, month, type) and per (member, month) as `'*'` of an UPDATE statement, where `sign` holds. */
const DELTA = (sign: string) => `
  SELECT member_id, month, coalesce(type, '*') AS type, sum(n) AS n FROM (
    SELECT x.member_id, ${MONTH} AS month, x.type, 1 AS n FROM new_rows x WHERE x.removed_at IS NULL
    UNION ALL
    SELECT x.member_id, ${MONTH}, x.type, -1 FROM old_rows x WHERE x.removed_at IS NULL
  ) changes
  GROUP BY GROUPING SETS ((member_id, month, type), (member_id, month)) HAVING sum(n) ${sign} ORDER BY 1, 2, 3`;

/**
 * `activity_member_monthly`: live (not removed) activities per member and UTC month, per activity
 * type and in total (type `'*'`), over every repository. A leaderboard without a repository filter
 * uses it twice (LeaderboardService): the `'*'` rows bound each member's score from above, so
 * that only the few members who can still reach the top are counted exactly, and the per-type
 * rows count those members' whole months. Rollup cells of the skewed communities Cambrian tracks
 * are dominated by a long tail of occasional members: ranking the whole tail for a 30-day window
 * read ~30,000 `activity_daily` cells per request (bench/members: 1M activities, 100k members).
 *
 * Freshness: statement-level triggers with transition tables on `activity`, as for
 * `activity_daily` (ActivityRollup1764630000000), so every write path keeps it exact in its own
 * transaction. Also an index of `activity_daily` by member, to count a few members' days.
 */
export class ActivityMemberMonthly1764640000000 implements MigrationInterface {
  name = 'ActivityMemberMonthly1764640000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE activity_member_monthly (
        member_id   uuid NOT NULL,
        month       date NOT NULL,
        type        text NOT NULL,
        activities  integer NOT NULL CHECK (activities >= 0),
        PRIMARY KEY (member_id, month, type)
      );
      CREATE INDEX activity_member_monthly_top ON activity_member_monthly (month, activities DESC) WHERE type = '*';
      ALTER TABLE activity_member_monthly SET (parallel_workers = 0);
      CREATE INDEX activity_daily_member ON activity_daily (member_id, day) INCLUDE (type, activities);

      CREATE FUNCTION activity_member_monthly_on_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO activity_member_monthly AS m (member_id, month, type, activities)
        SELECT x.member_id, ${MONTH}, coalesce(x.type, '*'), count(*)
          FROM new_rows x WHERE x.removed_at IS NULL
         GROUP BY GROUPING SETS ((x.member_id, ${MONTH}, x.type), (x.member_id, ${MONTH}))
         ORDER BY 1, 2, 3
        ON CONFLICT (member_id, month, type) DO UPDATE SET activities = m.activities + excluded.activities;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION activity_member_monthly_on_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        WITH delta AS (
          SELECT x.member_id, ${MONTH} AS month, coalesce(x.type, '*') AS type, count(*) AS n
            FROM old_rows x WHERE x.removed_at IS NULL
           GROUP BY GROUPING SETS ((x.member_id, ${MONTH}, x.type), (x.member_id, ${MONTH}))
           ORDER BY 1, 2, 3
        )
        UPDATE activity_member_monthly m SET activities = m.activities - delta.n FROM delta
         WHERE m.member_id = delta.member_id AND m.month = delta.month AND m.type = delta.type;
        DELETE FROM activity_member_monthly m
         USING (SELECT DISTINCT x.member_id, ${MONTH} AS month FROM old_rows x) k
         WHERE m.activities = 0 AND m.member_id = k.member_id AND m.month = k.month;
        RETURN NULL;
      END $fn$;

      -- net change per row of an UPDATE statement (removed_at set or cleared, member_id moved by a merge...)
      CREATE FUNCTION activity_member_monthly_on_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- decrements first, as an UPDATE: the CHECK refuses a negative row even when it would conflict
        WITH delta AS (${DELTA('< 0')})
        UPDATE activity_member_monthly m SET activities = m.activities + delta.n FROM delta
         WHERE m.member_id = delta.member_id AND m.month = delta.month AND m.type = delta.type;
        DELETE FROM activity_member_monthly m
         USING (SELECT DISTINCT x.member_id, ${MONTH} AS month FROM old_rows x) k
         WHERE m.activities = 0 AND m.member_id = k.member_id AND m.month = k.month;
        INSERT INTO activity_member_monthly AS m (member_id, month, type, activities)
        ${DELTA('> 0')}
        ON CONFLICT (member_id, month, type) DO UPDATE SET activities = m.activities + excluded.activities;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION activity_member_monthly_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        TRUNCATE activity_member_monthly;
        RETURN NULL;
      END $fn$;

      CREATE TRIGGER activity_member_monthly_insert AFTER INSERT ON activity
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_member_monthly_on_insert();
      CREATE TRIGGER activity_member_monthly_update AFTER UPDATE ON activity
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_member_monthly_on_update();
      CREATE TRIGGER activity_member_monthly_delete AFTER DELETE ON activity
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_member_monthly_on_delete();
      CREATE TRIGGER activity_member_monthly_truncate AFTER TRUNCATE ON activity
        FOR EACH STATEMENT EXECUTE FUNCTION activity_member_monthly_on_truncate();

      INSERT INTO activity_member_monthly (member_id, month, type, activities)
      SELECT member_id, date_trunc('month', day)::date, coalesce(type, '*'), sum(activities)
        FROM activity_daily
       GROUP BY GROUPING SETS ((member_id, date_trunc('month', day)::date, type), (member_id, date_trunc('month', day)::date));
    `);
    // the leaderboard's plans over it (index ranges per month) need its statistics from the start
    await queryRunner.query(`ANALYZE activity_member_monthly`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TRIGGER activity_member_monthly_truncate ON activity;
      DROP TRIGGER activity_member_monthly_delete ON activity;
      DROP TRIGGER activity_member_monthly_update ON activity;
      DROP TRIGGER activity_member_monthly_insert ON activity;
      DROP FUNCTION activity_member_monthly_on_truncate(), activity_member_monthly_on_update(),
                    activity_member_monthly_on_delete(), activity_member_monthly_on_insert();
      DROP INDEX activity_daily_member;
      DROP TABLE activity_member_monthly;
    `);
  }
}
