import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `activity_member_monthly_top` covering the member: the bounded leaderboard (LeaderboardService,
 * `prunedCellsSql`) reads, per month of its window, the most active members (`seed`) and every member
 * whose month total reaches the bound (`candidates`) from this index. It held only
 * `(month, activities)`, so each of those rows was a visit to the table for its `member_id`
 * (bench/members, 30-day leaderboard: ~280 of the ~1,200 buffers a request read); with `member_id`
 * included they are index-only scans (the table is vacuumed by autovacuum like any other).
 */
export class LeaderboardBoundCovering1764900000070 implements MigrationInterface {
  name = 'LeaderboardBoundCovering1764900000070';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX activity_member_monthly_top;
      CREATE INDEX activity_member_monthly_top ON activity_member_monthly (month, activities DESC) INCLUDE (member_id) WHERE type = '*';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX activity_member_monthly_top;
      CREATE INDEX activity_member_monthly_top ON activity_member_monthly (month, activities DESC) WHERE type = '*';
    `);
  }
}
