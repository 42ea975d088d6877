import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables whose writes can change a funnel answer (see the class). */
const FUNNEL_TABLES = [
  'member_stage',
  'member_stage_transition',
  'member_stage_daily',
  'member_stage_cell',
  'member_stage_credit',
  'stage_credit_dirty',
  'stage_member_repository',
  'affiliation',
  'organization',
] as const;

/**
 * `stage_version`: one counter that changes whenever a funnel answer may change, so
 * StageQueryService can cache computed funnels keyed by it and stay exact (a cached funnel is
 * only served under the version it was computed at), as `leaderboard_version` does for
 * leaderboards (migration 1764630000001, whose design this follows).
 *
 * What can change an answer: the stored stages and their rollups (`member_stage`, its
 * transitions, the daily rows and the cells), the organisation credits the non-paying and
 * organisation funnels read (`affiliation`, `organization.is_customer`, the credit snapshot
 * `member_stage_credit` and its `stage_credit_dirty` marks) and each member's first activity per
 * repository (`stage_member_repository`). Any write to them counts, whatever its columns: a
 * funnel's cost dwarfs a spurious miss.
 *
 * How: a writing statement marks its transaction (`stage_mark_changed()`, once per transaction);
 * a deferred constraint trigger bumps the counter at commit and removes the mark, so the counter
 * changes exactly when the writes become visible and its row lock is held only at commit.
 *
 * Also: indexes on `affiliation`'s bounds, so that finding the next instant at which an
 * affiliation starts or ends (when a cached funnel of "now" stops being exact) is two index probes.
 */
export class StageVersion1764900000190 implements MigrationInterface {
  name = 'StageVersion1764900000190';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE stage_version (
        id       boolean PRIMARY KEY DEFAULT true CHECK (id),
        epoch    uuid NOT NULL DEFAULT gen_random_uuid(),
        version  bigint NOT NULL
      );
      INSERT INTO stage_version (id, version) VALUES (true, 1);

      CREATE TABLE stage_change (xid xid8 PRIMARY KEY);

      CREATE FUNCTION stage_version_bump() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        UPDATE stage_version SET version = version + 1;
        DELETE FROM stage_change WHERE xid = NEW.xid;
        RETURN NULL;
      END $fn$;
      CREATE CONSTRAINT TRIGGER stage_version_bump AFTER INSERT ON stage_change
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION stage_version_bump();

      CREATE FUNCTION stage_on_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO stage_change (xid) VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $fn$;
      ${FUNNEL_TABLES.map(
        (table) => `CREATE TRIGGER ${table}_stage_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION stage_on_change();`,
      ).join('\n      ')}

      CREATE INDEX affiliation_starts_at ON affiliation (starts_at) WHERE starts_at IS NOT NULL;
      CREATE INDEX affiliation_ends_at ON affiliation (ends_at) WHERE ends_at IS NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX affiliation_ends_at;
      DROP INDEX affiliation_starts_at;
      ${FUNNEL_TABLES.map((table) => `DROP TRIGGER ${table}_stage_version ON ${table};`).join('\n      ')}
      DROP FUNCTION stage_on_change();
      DROP TABLE stage_change;
      DROP FUNCTION stage_version_bump();
      DROP TABLE stage_version;
    `);
  }
}
