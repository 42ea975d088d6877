import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CELL_COUNTS, stageCellsSql } from '../libs/members/src/stages/stage-cells.js';

/**
 * `member_stage_cell`: the funnel's per-member changes binned by (entry unit, change unit) at four
 * grains — `MM` (month of first seen, month of the change), `MD`, `DM`, `DD` (UTC days) — with the
 * same count columns as `member_stage_daily` (described in libs/members/src/stages/stage-cells.ts).
 * A funnel for an entry period `[from, to)` sums the cells tiling `first_seen ≥ from, at < to`
 * (a few hundred rows) instead of reading every member first seen in the period. Kept exact by the
 * stage evaluation in the same transaction as `member_stage` (old cells subtracted, new ones added,
 * like `member_stage_daily`). Backfilled from `member_stage`.
 */
export class StageCells1764620000002 implements MigrationInterface {
  name = 'StageCells1764620000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE member_stage_cell (
        ecosystem_id  integer NOT NULL REFERENCES ecosystem(id) ON DELETE CASCADE,
        grain         text NOT NULL CHECK (grain IN ('MM', 'MD', 'DM', 'DD')),
        first_unit    date NOT NULL,
        event_unit    date NOT NULL,
        ${CELL_COUNTS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (ecosystem_id, grain, first_unit, event_unit)
      ) WITH (fillfactor = 80);
      INSERT INTO member_stage_cell (ecosystem_id, grain, first_unit, event_unit, ${CELL_COUNTS.join(', ')})
      SELECT ecosystem_id, grain, first_unit::date, event_unit::date, ${CELL_COUNTS.join(', ')}
      FROM (${stageCellsSql('true')}) c
      WHERE ${CELL_COUNTS.map((c) => `${c} <> 0`).join(' OR ')};
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE member_stage_cell`);
  }
}
