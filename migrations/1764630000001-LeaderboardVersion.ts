import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The four rollup functions of ActivityRollup1764630000000, each marking the transaction first. */
function rollupFunctions(mark: boolean): string {
  const insertMark = mark ? 'IF EXISTS (SELECT 1 FROM new_rows) THEN PERFORM leaderboard_mark_changed(); END IF;' : '';
  const deleteMark = mark ? 'IF EXISTS (SELECT 1 FROM old_rows) THEN PERFORM leaderboard_mark_changed(); END IF;' : '';
  const truncateMark = mark ? 'PERFORM leaderboard_mark_changed();' : '';
  return `
      CREATE OR REPLACE FUNCTION activity_daily_on_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${insertMark}
        INSERT INTO activity_daily AS d (day, member_id, repository_id, type, activities)
        SELECT (n.occurred_at AT TIME ZONE 'UTC')::date, n.member_id, n.repository_id, n.type, count(*)
          FROM new_rows n WHERE n.removed_at IS NULL
         GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, member_id, repository_id, type) DO UPDATE SET activities = d.activities + excluded.activities;
        RETURN NULL;
      END $fn$;

      CREATE OR REPLACE FUNCTION activity_daily_on_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${deleteMark}
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

      CREATE OR REPLACE FUNCTION activity_daily_on_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${deleteMark}
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

      CREATE OR REPLACE FUNCTION activity_daily_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${truncateMark}
        TRUNCATE activity_daily;
        RETURN NULL;
      END $fn$;`;
}

/**
 * `leaderboard_version`: one counter that changes whenever a leaderboard answer may change, so
 * LeaderboardService can cache computed pages keyed by it and stay exact (a cached page is only
 * served under the version it was computed at).
 *
 * What can change an answer: the activities it counts (the `activity` rows behind
 * `activity_daily`, whose trigger functions are replaced here with the same bodies plus a mark),
 * and the member columns a page shows or ranks by (`member` kind, login, display name;
 * `github_account` id, avatar and which account is a member's latest).
 *
 * How: a writing statement marks its transaction (`leaderboard_mark_changed()` inserts the
 * transaction id into `leaderboard_change`, once per transaction); that insert queues a deferred
 * constraint trigger (PostgreSQL docs, "CREATE TRIGGER": CONSTRAINT triggers fire at commit when
 * INITIALLY DEFERRED) that increments the counter and removes the mark. The counter is therefore
 * bumped in the writing transaction, visible exactly when its changes are, and its row lock is
 * taken only at commit: concurrent writers do not serialise on it for the length of their
 * transactions and cannot deadlock on it (a transaction holding it has no statement left to run).
 */
export class LeaderboardVersion1764630000001 implements MigrationInterface {
  name = 'LeaderboardVersion1764630000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      -- epoch: drawn once per database, so a database created again (its counter back at 1) never
      -- meets the pages another one left in the same Redis
      CREATE TABLE leaderboard_version (
        id       boolean PRIMARY KEY DEFAULT true CHECK (id),
        epoch    uuid NOT NULL DEFAULT gen_random_uuid(),
        version  bigint NOT NULL
      );
      INSERT INTO leaderboard_version (id, version) VALUES (true, 1);

      -- transactions that changed something a leaderboard shows; each row lives until its commit
      CREATE TABLE leaderboard_change (xid xid8 PRIMARY KEY);

      CREATE FUNCTION leaderboard_mark_changed() RETURNS void LANGUAGE sql AS $fn$
        INSERT INTO leaderboard_change (xid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING
      $fn$;

      CREATE FUNCTION leaderboard_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE leaderboard_version SET version = version + 1;
        DELETE FROM leaderboard_change WHERE xid = NEW.xid;
        RETURN NULL;
      END $fn$;
      CREATE CONSTRAINT TRIGGER leaderboard_version_bump AFTER INSERT ON leaderboard_change
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION leaderboard_version_bump();

      CREATE FUNCTION leaderboard_on_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        PERFORM leaderboard_mark_changed();
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER member_leaderboard_version
        AFTER INSERT OR DELETE OR UPDATE OF id, kind, login, display_name, created_at OR TRUNCATE ON member
        FOR EACH STATEMENT EXECUTE FUNCTION leaderboard_on_change();
      CREATE TRIGGER github_account_leaderboard_version
        AFTER INSERT OR DELETE OR UPDATE OF id, member_id, avatar_url, updated_at OR TRUNCATE ON github_account
        FOR EACH STATEMENT EXECUTE FUNCTION leaderboard_on_change();
      ${rollupFunctions(true)}
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ${rollupFunctions(false)}
      DROP TRIGGER github_account_leaderboard_version ON github_account;
      DROP TRIGGER member_leaderboard_version ON member;
      DROP FUNCTION leaderboard_on_change();
      DROP TABLE leaderboard_change;
      DROP FUNCTION leaderboard_version_bump(), leaderboard_mark_changed();
      DROP TABLE leaderboard_version;
    `);
  }
}
