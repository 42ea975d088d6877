import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Weekly digests (issue 6): an ecosystem's defaults for members who chose no language or time zone
 * of their own. `default_locale` is one of the digest locales (`en`, `zh-CN`); `default_time_zone`
 * an IANA name (checked by the service, which asks Node's Intl: Postgres's own list can differ).
 */
export class DigestEcosystemDefaults1764800000010 implements MigrationInterface {
  name = 'DigestEcosystemDefaults1764800000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE ecosystem
        ADD COLUMN default_locale text NOT NULL DEFAULT 'en' CHECK (default_locale IN ('en', 'zh-CN')),
        ADD COLUMN default_time_zone text NOT NULL DEFAULT 'UTC' CHECK (btrim(default_time_zone) <> '' AND length(default_time_zone) <= 64);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ecosystem DROP COLUMN default_locale, DROP COLUMN default_time_zone;`);
  }
}
