import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Repository discovery state: which tracked source found which repository (so removing or
 * pausing a source stops syncing its repositories, and several sources may cover one
 * repository), and per source the listing path that answered plus one ETag per page of the
 * last listing (each page is re-requested with `If-None-Match`; a 304 costs no rate limit).
 */
export class TrackedSourceDiscovery1764480000000 implements MigrationInterface {
  name = 'TrackedSourceDiscovery1764480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tracked_source
        -- { path, etags: string[], requests, notModified, lastError, discoveredAt }
        ADD COLUMN discovery jsonb NOT NULL DEFAULT '{}';

      CREATE TABLE tracked_source_repository (
        tracked_source_id  integer NOT NULL REFERENCES tracked_source(id) ON DELETE CASCADE,
        repository_id      bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        first_seen_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tracked_source_id, repository_id)
      );
      CREATE INDEX tracked_source_repository_repository ON tracked_source_repository (repository_id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE tracked_source_repository;
      ALTER TABLE tracked_source DROP COLUMN discovery;
    `);
  }
}
