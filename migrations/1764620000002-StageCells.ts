import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CELL_COUNTS, COHORT_COUNTS, cohortCellsSql, refreshCreditsSql, stageCellsSql } from '../libs/members/src/stages/stage-cells.js';

/**
 * Funnels of an entry period, by repository, organisation or non-paying organisations, from
 * precomputed cells (described in libs/members/src/stages/stage-cells.ts).
 *
 * `member_stage_cell`: the funnel's per-member changes binned by (entry unit, change unit) at four
 * grains — `MM` (month of first seen, month of the change), `MD`, `DM`, `DD` (UTC days) — per
 * scope (`''` everyone, `repo:<id>`, `org:<uuid>`), with the count columns of `member_stage_daily`.
 * A funnel for `[from, to)` sums the cells tiling `first_seen ≥ from, at < to` (a few hundred rows)
 * instead of reading every member first seen in the period. Kept exact by the stage evaluation in
 * the same transaction as `member_stage` (old cells subtracted, new ones added).
 *
 * `member_stage_cohort_cell`: for cohorts, the changes of a member's stage counts binned by month of
 * first seen and ⌈days since first seen⌉ (`offset_day`): the row for N weeks of a month sums its
 * cells with offset_day ≤ 7N. Kept exact likewise.
 *
 * `member_stage_credit`: the credit timeline (affiliation-sql.ts) the `org:` cells were built
 * from, per member: `[lo, hi)` periods credited to one organisation (no foreign key: a deleted
 * organisation's periods must stay until the cells built from them are subtracted).
 * `stage_credit_dirty`: members whose affiliations changed since (a trigger on `affiliation`, so
 * every write path marks them in its own transaction); funnels by organisation count member by
 * member while any is marked, and the stage evaluation and the hourly check refresh them.
 */
export class StageCells1764620000002 implements MigrationInterface {
  name = 'StageCells1764620000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE member_stage_cell (
        ecosystem_id  integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        scope         text NOT NULL,
        grain         text NOT NULL CHECK (grain IN ('MM', 'MD', 'DM', 'DD')),
        first_unit    date NOT NULL,
        event_unit    date NOT NULL,
        ${CELL_COUNTS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (ecosystem_id, scope, grain, first_unit, event_unit)
      ) WITH (fillfactor = 80);

      CREATE TABLE member_stage_cohort_cell (
        ecosystem_id  integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        first_month   date NOT NULL,
        offset_day    integer NOT NULL,
        ${COHORT_COUNTS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (ecosystem_id, first_month, offset_day)
      ) WITH (fillfactor = 80);

      CREATE TABLE member_stage_credit (
        member_id        uuid NOT NULL REFERENCES member(id) ON DELETE CASCADE,
        organization_id  uuid NOT NULL,
        lo               timestamptz NOT NULL,
        hi               timestamptz NOT NULL,
        PRIMARY KEY (member_id, lo)
      );
      CREATE INDEX member_stage_credit_lo ON member_stage_credit (organization_id, lo);
      CREATE INDEX member_stage_credit_hi ON member_stage_credit (organization_id, hi);

      CREATE TABLE stage_credit_dirty (member_id uuid PRIMARY KEY);
      CREATE FUNCTION stage_credit_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          INSERT INTO stage_credit_dirty (member_id) VALUES (OLD.member_id) ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO stage_credit_dirty (member_id) VALUES (NEW.member_id) ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER affiliation_stage_credit AFTER INSERT OR DELETE OR UPDATE OF member_id, organization_id, starts_at, ends_at, source
        ON affiliation FOR EACH ROW EXECUTE FUNCTION stage_credit_mark_dirty();

      -- funnels by repository: members whose first activity there falls in a day
      CREATE INDEX stage_member_repository_first ON stage_member_repository (repository_id, first_at);
    `);
    const members = `ARRAY(SELECT DISTINCT member_id FROM affiliation)`;
    for (const statement of refreshCreditsSql()) await queryRunner.query(statement.replaceAll('$1::uuid[]', members));
    await queryRunner.query(
      `INSERT INTO member_stage_cell (ecosystem_id, scope, grain, first_unit, event_unit, ${CELL_COUNTS.join(', ')})
       SELECT ecosystem_id, scope, grain, first_unit::date, event_unit::date, ${CELL_COUNTS.join(', ')}
       FROM (${stageCellsSql('true')}) c
       WHERE ${CELL_COUNTS.map((c) => `${c} <> 0`).join(' OR ')}`,
    );
    await queryRunner.query(
      `INSERT INTO member_stage_cohort_cell (ecosystem_id, first_month, offset_day, ${COHORT_COUNTS.join(', ')})
       SELECT ecosystem_id, first_month::date, offset_day, ${COHORT_COUNTS.join(', ')} FROM (${cohortCellsSql('true')}) c
       WHERE ${COHORT_COUNTS.map((c) => `${c} <> 0`).join(' OR ')}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX stage_member_repository_first;
      DROP TRIGGER affiliation_stage_credit ON affiliation;
      DROP FUNCTION stage_credit_mark_dirty();
      DROP TABLE stage_credit_dirty, member_stage_credit, member_stage_cohort_cell, member_stage_cell;
    `);
  }
}
