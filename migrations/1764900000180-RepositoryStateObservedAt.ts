import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `repository.state_observed_at`: the UTC instant of the observation that wrote the repository's
 * changeable state (owner and name, default branch, fork and archived flags, star and fork counts,
 * topics): a webhook delivery's receipt, or the instant the sync asked GitHub. A write carrying an
 * older observation leaves that state as it is, so a delivery processed late (a retry after an
 * outage, a redelivery) never puts back older counts or an older name. Null for rows written before
 * this migration and for rows that only name a repository (GH Archive, tests): any observation
 * replaces their state.
 */
export class RepositoryStateObservedAt1764900000180 implements MigrationInterface {
  name = 'RepositoryStateObservedAt1764900000180';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE repository ADD COLUMN state_observed_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE repository DROP COLUMN state_observed_at`);
  }
}
