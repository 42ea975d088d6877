import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox of stage evaluations (issue 9): what activity writes ask of the `stages` queue is
 * stored in the transaction that inserts the activities, so a worker killed between that commit
 * and the enqueue loses no evaluation, and a replayed delivery (which inserts nothing) asks for none.
 *
 * - `key`: `member:<member id>` (evaluate this member) or `merged:<activity id>` (a merged pull
 *   request: its merger is looked up when the evaluation runs, after the sync wrote the pull request
 *   row). One row per key: a member with many new activities is evaluated once.
 * - `seq`: drawn again each time the key is requested anew; the evaluation deletes the row only at
 *   the `seq` it was enqueued with, so a request that arrives meanwhile is kept for the next one.
 * - `enqueued_seq`, `enqueued_at`: the `seq` the relay last enqueued, and when; a row enqueued long
 *   ago and still there (a job Redis lost) is enqueued again.
 */
export class StageEvaluationOutbox1764900000050 implements MigrationInterface {
  name = 'StageEvaluationOutbox1764900000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE stage_evaluation_outbox_seq`);
    await queryRunner.query(`
      CREATE TABLE stage_evaluation_outbox (
        key text PRIMARY KEY CHECK (key ~ '^(member:[0-9a-f-]{36}|merged:[0-9]+)$'),
        seq bigint NOT NULL DEFAULT nextval('stage_evaluation_outbox_seq'),
        requested_at timestamptz NOT NULL DEFAULT now(),
        enqueued_seq bigint,
        enqueued_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX stage_evaluation_outbox_requested ON stage_evaluation_outbox (requested_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE stage_evaluation_outbox`);
    await queryRunner.query(`DROP SEQUENCE stage_evaluation_outbox_seq`);
  }
}
