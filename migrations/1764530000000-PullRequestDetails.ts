import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the sync knows of each pull request's details ("Get a pull request": `merged_by` is not in
 * the list; GitHub Docs, "List pull requests"): the ETag of the detail answer, sent back as
 * `If-None-Match`, and the `updated_at` the details were read at (UTC instant). A merged pull
 * request is fetched again only when its `updated_at` moved past that instant.
 */
export class PullRequestDetails1764530000000 implements MigrationInterface {
  name = 'PullRequestDetails1764530000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE pull_request
        ADD COLUMN details_etag text,
        ADD COLUMN details_updated_at timestamptz;
      CREATE INDEX pull_request_details_pending ON pull_request (repository_id, updated_at, id)
        WHERE merged AND (details_updated_at IS NULL OR details_updated_at < updated_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX pull_request_details_pending;
      ALTER TABLE pull_request DROP COLUMN details_etag, DROP COLUMN details_updated_at;
    `);
  }
}
