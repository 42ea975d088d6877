import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook secrets tied to their ecosystem (issue 8, Protection: webhook secrets).
 *
 * `webhook_delivery.verified_by_ecosystem_id`: the ecosystem whose stored webhook secret
 * (`github_credential`, kind `webhook_secret`) verified the delivery's signature; null when
 * GITHUB_WEBHOOK_SECRETS (the operator's, trusted for every repository) did, and for the rows
 * stored before this migration (all verified by the environment's secrets or by a stored secret
 * that was not yet scoped: they keep today's behaviour). Processing lets a delivery with an
 * ecosystem touch only that ecosystem's repositories.
 *
 * No foreign key: the column is written by the acknowledgement path's one INSERT, which a
 * per-row key check would slow; an id that names no ecosystem (none is ever deleted today)
 * matches no repository, so such a delivery is refused, never widened.
 */
export class WebhookSecretScope1764900000150 implements MigrationInterface {
  name = 'WebhookSecretScope1764900000150';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE webhook_delivery ADD COLUMN verified_by_ecosystem_id integer`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE webhook_delivery DROP COLUMN verified_by_ecosystem_id`);
  }
}
