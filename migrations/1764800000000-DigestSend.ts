import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Weekly digests, the sending side (issue 6):
 * - `member_email_preference`: one row per member who gave an address: the address, the digest
 *   opt-in, the locale (null: the default of the member's ecosystem, `ecosystem.digest_locale`),
 *   the IANA time zone the member's week and Monday 09:00 are read in, when the member
 *   unsubscribed (RFC 8058 one-click or the preferences page), and when the address bounced with
 *   the SMTP reply (a 5xx; no digest goes to it until the address changes). Merges leave these rows
 *   under the merged member's id: reads resolve through `member_root(id)` (migration
 *   1764700000001), so a merged member's preferences follow the survivor and come back on unmerge.
 * - `digest_send`: the send ledger, one row per (member, ISO week) under a unique constraint, taken
 *   before anything is sent, so at most one digest goes to a member per week whatever crashes or
 *   retries happen. `status`: pending (taken, not handed to SMTP; safe to retry), sending (handed to
 *   SMTP until `lease_until`), sent, empty (nothing to say: `reason`), skipped (unsubscribed or
 *   bounced by the time the job ran), bounced (5xx), failed (gave up after the job's attempts),
 *   uncertain (interrupted inside the SMTP transaction: maybe delivered, never resent automatically).
 */
export class DigestSend1764800000000 implements MigrationInterface {
  name = 'DigestSend1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE member_email_preference (
        member_id        uuid PRIMARY KEY REFERENCES member(id),
        email            text NOT NULL CHECK (length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
        digest_opt_in    boolean NOT NULL DEFAULT false,
        locale           text CHECK (locale IN ('en', 'zh-CN')),
        time_zone        text NOT NULL DEFAULT 'UTC',
        unsubscribed_at  timestamptz,
        bounced_at       timestamptz,
        bounce_reply     text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX member_email_preference_receiving ON member_email_preference (time_zone)
        WHERE digest_opt_in AND bounced_at IS NULL;

      CREATE TABLE digest_send (
        id            bigserial PRIMARY KEY,
        member_id     uuid NOT NULL REFERENCES member(id),
        iso_week      text NOT NULL CHECK (iso_week ~ '^[0-9]{4}-W[0-9]{2}$'),
        status        text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'empty', 'skipped', 'bounced', 'failed', 'uncertain')),
        email         text,
        message_id    text NOT NULL UNIQUE,
        attempts      integer NOT NULL DEFAULT 0,
        last_error    text,
        reason        text,
        smtp_reply    text,
        lease_until   timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        sent_at       timestamptz,
        UNIQUE (member_id, iso_week)
      );
      CREATE INDEX digest_send_week_status ON digest_send (iso_week, status, id);
      CREATE INDEX digest_send_status ON digest_send (status, id);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE digest_send;
      DROP TABLE member_email_preference;
    `);
  }
}
