import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `sync_gap`: activities a repository sync inserted that webhooks should have delivered (the
 * repository receives webhooks, and the activities occurred after its first delivery). GitHub
 * does not redeliver failed deliveries by itself (GitHub Docs, "Handling failed webhook
 * deliveries"), so the scheduled reconciliation re-syncs and records what it found here
 * (issue 3). One row per (sync run, resource) that found any; times are UTC instants.
 *
 * `webhook_delivery_repository` serves "first delivery of this repository" (`min(received_at)`).
 */
export class SyncGap1764520000000 implements MigrationInterface {
  name = 'SyncGap1764520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sync_gap (
        id                  bigserial PRIMARY KEY,
        repository_id       bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        resource            text NOT NULL,
        found_at            timestamptz NOT NULL DEFAULT now(),
        activities          integer NOT NULL CHECK (activities > 0),
        oldest_occurred_at  timestamptz NOT NULL,
        newest_occurred_at  timestamptz NOT NULL
      );
      CREATE INDEX sync_gap_repository_time ON sync_gap (repository_id, found_at DESC);
      CREATE INDEX webhook_delivery_repository ON webhook_delivery (repository_id, received_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX webhook_delivery_repository;
      DROP TABLE sync_gap;
    `);
  }
}
