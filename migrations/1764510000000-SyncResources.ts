import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables and columns for the per-repository resources beyond commits and pull requests:
 * - `repository_label`: a repository's labels (GitHub Docs, "List labels for a repository"),
 *   keyed by (repository, name) since issues carry label names;
 * - `issue.newcomer_friendly`: generated from `issue.labels` through `is_newcomer_label`, so rows
 *   written by any path (sync, webhooks) are flagged alike; with `state = 'open'` it lists the
 *   "good first issue" / "help wanted" issues the digests and funnels offer (GitHub Docs,
 *   "Encouraging helpful contributions to your project with labels"). The label list mirrors
 *   `NEWCOMER_LABELS` in `libs/github/src/sync/map-issue.ts`.
 */
export class SyncResources1764510000000 implements MigrationInterface {
  name = 'SyncResources1764510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION is_newcomer_label(labels text[]) RETURNS boolean
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT EXISTS (SELECT 1 FROM unnest(labels) AS l(name)
          WHERE regexp_replace(lower(l.name), '[^a-z]+', ' ', 'g') IN ('good first issue', 'help wanted', 'good first bug', 'first timers only')) $$;

      ALTER TABLE issue ADD COLUMN newcomer_friendly boolean GENERATED ALWAYS AS (is_newcomer_label(labels)) STORED;
      CREATE INDEX issue_open_newcomer ON issue (repository_id) WHERE state = 'open' AND newcomer_friendly;

      CREATE TABLE repository_label (
        repository_id  bigint NOT NULL REFERENCES repository(id) ON DELETE CASCADE,
        name           text NOT NULL,
        github_id      bigint,
        color          text NOT NULL DEFAULT '',
        description    text,
        is_default     boolean NOT NULL DEFAULT false,
        PRIMARY KEY (repository_id, name)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE repository_label;
      DROP INDEX issue_open_newcomer;
      ALTER TABLE issue DROP COLUMN newcomer_friendly;
      DROP FUNCTION is_newcomer_label(text[]);
    `);
  }
}
