import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `member_stage_cell` by change unit: a funnel up to a day inside a month sums the `MD` and `DD`
 * cells of every entry month or day before it whose change falls in the days of that month — a
 * narrow range of `event_unit` under a wide one of `first_unit`. The primary key (entry unit
 * first) walked every such cell of every entry unit (bench/stages: ~20 ms of an all-time
 * non-paying funnel ending now); this index bounds the walk by the change unit.
 */
export class StageCellEventIndex1764640000001 implements MigrationInterface {
  name = 'StageCellEventIndex1764640000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX member_stage_cell_event ON member_stage_cell (ecosystem_id, scope, grain, event_unit, first_unit)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX member_stage_cell_event`);
  }
}
