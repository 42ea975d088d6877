import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `activity_daily`: how many live (not removed) activities each member did in each repository,
 * per activity type and UTC day. Leaderboards and the Contributor Absence Factor read it
 * instead of the activity table, so their cost follows the number of (member, repository,
 * type, day) cells rather than the number of activities.
 *
 * Freshness: maintained inside the same transaction as every write to `activity` by
 * statement-level triggers with transition tables (PostgreSQL docs, "CREATE TRIGGER":
 * REFERENCING NEW/OLD TABLE), so every path — ActivityService, the sync, GH Archive batches,
 * `COPY` — keeps it exact and no caller has to remember it. An insert adds its rows (an
 * `ON CONFLICT DO NOTHING` duplicate is not in the transition table, so replays add nothing);
 * an update (removed_at set or cleared, member_id moved by a merge) moves its counts; a delete
 * subtracts; a TRUNCATE empties the rollup. Deltas are applied in key order to keep concurrent
 * writers from deadlocking; cells that fall to zero are deleted (by a second statement: a WITH query cannot see the
 * rows its sibling sub-statements changed).
 *
 * `member_non_person` lists the few members that never rank (bots, the deleted sentinel), so a
 * leaderboard leaves them out with one small hashed anti-join instead of a lookup per member.
 *
 * Also indexes for the CHAOSS metrics and the issue / pull request flow: responses to an item
 * (comments and reviews by its `facts.number`), open items per repository, and pull requests
 * by creation and closing time.
 */
export class ActivityRollup1764630000000 implements MigrationInterface {
  name = 'ActivityRollup1764630000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE activity_daily (
        day            date NOT NULL,
        member_id      uuid NOT NULL,
        repository_id  bigint NOT NULL,
        type           text NOT NULL,
        activities     integer NOT NULL CHECK (activities >= 0),
        PRIMARY KEY (day, member_id, repository_id, type)
      );
      CREATE INDEX activity_daily_repository_day ON activity_daily (repository_id, day);
      -- a leaderboard reads a few tens of thousands of cells: parallel workers only add gather and
      -- finalize work, and at 10 concurrent requests on 2 cores they cost about a third of the throughput
      ALTER TABLE activity_daily SET (parallel_workers = 0);

      CREATE FUNCTION activity_daily_on_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO activity_daily AS d (day, member_id, repository_id, type, activities)
        SELECT (n.occurred_at AT TIME ZONE 'UTC')::date, n.member_id, n.repository_id, n.type, count(*)
          FROM new_rows n WHERE n.removed_at IS NULL
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, member_id, repository_id, type) DO UPDATE SET activities = d.activities + excluded.activities;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION activity_daily_on_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        WITH delta AS (
          SELECT (o.occurred_at AT TIME ZONE 'UTC')::date AS day, o.member_id, o.repository_id, o.type, count(*) AS n
            FROM old_rows o WHERE o.removed_at IS NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        )
        UPDATE activity_daily d SET activities = d.activities - delta.n FROM delta
         WHERE d.day = delta.day AND d.member_id = delta.member_id AND d.repository_id = delta.repository_id AND d.type = delta.type;
        DELETE FROM activity_daily d
         USING (SELECT DISTINCT (o.occurred_at AT TIME ZONE 'UTC')::date AS day, o.member_id, o.repository_id, o.type FROM old_rows o) k
         WHERE d.activities = 0 AND d.day = k.day AND d.member_id = k.member_id AND d.repository_id = k.repository_id AND d.type = k.type;
        RETURN NULL;
      END $fn$;

      -- net change per cell of an UPDATE statement (removed_at set or cleared, member_id moved...)
      CREATE FUNCTION activity_daily_on_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        -- decrements first, as an UPDATE: the CHECK refuses a negative row even when it would conflict
        WITH delta AS (
          SELECT day, member_id, repository_id, type, sum(n) AS n FROM (
            SELECT (x.occurred_at AT TIME ZONE 'UTC')::date AS day, x.member_id, x.repository_id, x.type, 1 AS n
              FROM new_rows x WHERE x.removed_at IS NULL
            UNION ALL
            SELECT (x.occurred_at AT TIME ZONE 'UTC')::date, x.member_id, x.repository_id, x.type, -1
              FROM old_rows x WHERE x.removed_at IS NULL
          ) changes GROUP BY 1, 2, 3, 4 HAVING sum(n) < 0 ORDER BY 1, 2, 3, 4
        )
        UPDATE activity_daily d SET activities = d.activities + delta.n FROM delta
         WHERE d.day = delta.day AND d.member_id = delta.member_id AND d.repository_id = delta.repository_id AND d.type = delta.type;
        DELETE FROM activity_daily d
         USING (SELECT DISTINCT (o.occurred_at AT TIME ZONE 'UTC')::date AS day, o.member_id, o.repository_id, o.type FROM old_rows o) k
         WHERE d.activities = 0 AND d.day = k.day AND d.member_id = k.member_id AND d.repository_id = k.repository_id AND d.type = k.type;
        INSERT INTO activity_daily AS d (day, member_id, repository_id, type, activities)
        SELECT day, member_id, repository_id, type, sum(n) FROM (
          SELECT (x.occurred_at AT TIME ZONE 'UTC')::date AS day, x.member_id, x.repository_id, x.type, 1 AS n
            FROM new_rows x WHERE x.removed_at IS NULL
          UNION ALL
          SELECT (x.occurred_at AT TIME ZONE 'UTC')::date, x.member_id, x.repository_id, x.type, -1
            FROM old_rows x WHERE x.removed_at IS NULL
        ) changes GROUP BY 1, 2, 3, 4 HAVING sum(n) > 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, member_id, repository_id, type) DO UPDATE SET activities = d.activities + excluded.activities;
        RETURN NULL;
      END $fn$;

      CREATE FUNCTION activity_daily_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        TRUNCATE activity_daily;
        RETURN NULL;
      END $fn$;

      CREATE TRIGGER activity_daily_insert AFTER INSERT ON activity
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_daily_on_insert();
      CREATE TRIGGER activity_daily_update AFTER UPDATE ON activity
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_daily_on_update();
      CREATE TRIGGER activity_daily_delete AFTER DELETE ON activity
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION activity_daily_on_delete();
      CREATE TRIGGER activity_daily_truncate AFTER TRUNCATE ON activity
        FOR EACH STATEMENT EXECUTE FUNCTION activity_daily_on_truncate();

      INSERT INTO activity_daily (day, member_id, repository_id, type, activities)
      SELECT (occurred_at AT TIME ZONE 'UTC')::date, member_id, repository_id, type, count(*)
        FROM activity WHERE removed_at IS NULL GROUP BY 1, 2, 3, 4;

      -- the few members that never rank (bots, the deleted sentinel), for a hashed anti-join
      CREATE INDEX member_non_person ON member (id) WHERE kind <> 'person';

      CREATE INDEX activity_item_response ON activity (repository_id, (facts->>'number'), occurred_at)
        WHERE type IN ('issue_comment', 'review_comment', 'review') AND removed_at IS NULL;
      CREATE INDEX pull_request_open ON pull_request (repository_id, created_at) WHERE state = 'open';
      CREATE INDEX issue_open ON issue (repository_id, created_at) WHERE state = 'open';
      CREATE INDEX pull_request_created ON pull_request (repository_id, created_at);
      CREATE INDEX pull_request_closed ON pull_request (repository_id, closed_at) WHERE closed_at IS NOT NULL;
      CREATE INDEX issue_created ON issue (repository_id, created_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX issue_created, pull_request_closed, pull_request_created, issue_open, pull_request_open, activity_item_response, member_non_person;
      DROP TRIGGER activity_daily_truncate ON activity;
      DROP TRIGGER activity_daily_delete ON activity;
      DROP TRIGGER activity_daily_update ON activity;
      DROP TRIGGER activity_daily_insert ON activity;
      DROP FUNCTION activity_daily_on_truncate(), activity_daily_on_update(), activity_daily_on_delete(), activity_daily_on_insert();
      DROP TABLE activity_daily;
    `);
  }
}
