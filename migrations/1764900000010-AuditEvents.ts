import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit log (issue 8): `audit_event`, one row per root GraphQL mutation an authorised caller ran.
 *
 * The row is written `pending` (with the arguments and the target's state `before`) and committed
 * before the resolver runs, then completed `ok` (with `after`, the mutation's result) or `error`
 * (with the API error code and message). A row left `pending` marks a change whose end was never
 * recorded (the process died in between). `actor` is `api-token:<id>` or `member:<id>`
 * (libs/auth `viewerActor`), null for an anonymous caller. JSON columns hold values already
 * redacted (libs/audit `redactForAudit`).
 */
export class AuditEvents1764900000010 implements MigrationInterface {
  name = 'AuditEvents1764900000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_event (
        id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        occurred_at   timestamptz NOT NULL DEFAULT now(),
        completed_at  timestamptz,
        actor         text,
        actor_role    text,
        request_id    text,
        operation     text NOT NULL,
        target_type   text,
        target_id     text,
        arguments     jsonb NOT NULL DEFAULT '{}'::jsonb,
        before        jsonb,
        after         jsonb,
        status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ok', 'error')),
        error_code    text,
        error_message text,
        CHECK ((status = 'error') = (error_code IS NOT NULL)),
        CHECK ((status = 'pending') = (completed_at IS NULL))
      )
    `);
    await queryRunner.query(`CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at)`);
    await queryRunner.query(`CREATE INDEX audit_event_actor_idx ON audit_event (actor, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_event_operation_idx ON audit_event (operation, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_event_target_idx ON audit_event (target_type, target_id, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_event`);
  }
}
