import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService } from '#libs/github';
import { StageOutboxRelay, StageService, StagesModule } from '#libs/members';
import { JobName, QueueModule, QueueName, type EvaluateStageOutboxJobData } from '#libs/queue';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** A worker's webhook side with the `stages` queue; the relay is run pass by pass by the test. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DeliveryProcessingModule, StagesModule] })
class WorkerSideModule {}

const REPOSITORY = { id: 5_252_5252, name: 'RWKV-LM', full_name: 'BlinkDL/RWKV-LM', owner: { login: 'BlinkDL' } };

describe('an evaluate-stage-outbox job with one member whose evaluation keeps failing', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let stagesQueue: Queue;
  let relay: StageOutboxRelay;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await NestFactory.createApplicationContext(WorkerSideModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    const ecosystemId = await createEcosystem(db, { slug: 'outbox-bad-member' });
    await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, 'BlinkDL', $3, $4)`, [
      REPOSITORY.id,
      ecosystemId,
      REPOSITORY.name,
      REPOSITORY.full_name,
    ]);
    stagesQueue = app.get<Queue>(getQueueToken(QueueName.Stages));
    relay = new StageOutboxRelay(app.get(DataSource), stagesQueue);
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  const star = async (deliveryId: string, sender: { id: number; login: string }) => {
    const payload = { action: 'created', repository: REPOSITORY, sender: { ...sender, type: 'User' }, starred_at: new Date(Date.now() - 3_600_000).toISOString() };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ($1, 'star', 'created', $2) RETURNING id::text AS id`,
      [deliveryId, JSON.stringify(payload)],
    );
    await app.get(DeliveryProcessingService).process(rows[0].id as string, { finalAttempt: true });
  };
  const memberOf = async (login: string) => (await db.query(`SELECT id::text AS id FROM member WHERE login = $1`, [login])).rows[0].id as string;
  const pathOf = async (login: string) =>
    (await db.query(`SELECT t.to_stage FROM member_stage_transition t JOIN member m ON m.id = t.member_id WHERE m.login = $1`, [login])).rows;

  it('evaluates the others of the batch, keeps only the failing member requested, and names it in the error', async () => {
    await star('outbox-bad-1', { id: 93_001, login: 'eve-batch' });
    await star('outbox-bad-2', { id: 93_002, login: 'mallory-batch' });
    expect(await relay.relayPending(0)).toBe(2);
    const jobs = (await stagesQueue.getJobs(['waiting', 'delayed'])).filter((job) => job?.name === JobName.EvaluateStageOutbox);
    expect(jobs).toHaveLength(1);
    const { keys, seqs } = jobs[0]!.data as EvaluateStageOutboxJobData;
    expect(keys).toHaveLength(2);

    // mallory's evaluation fails every time (a bad row, a bug in a rule): a trigger refuses her transitions
    const mallory = await memberOf('mallory-batch');
    await db.query(`CREATE FUNCTION refuse_mallory() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.member_id = '${mallory}'::uuid THEN RAISE EXCEPTION 'refused for this member'; END IF; RETURN NEW; END $$`);
    await db.query(`CREATE TRIGGER refuse_mallory BEFORE INSERT ON member_stage_transition FOR EACH ROW EXECUTE FUNCTION refuse_mallory()`);

    await expect(app.get(StageService).evaluateOutbox(keys, seqs)).rejects.toThrow(`stage evaluation failed for member:${mallory}: refused for this member`);
    // the batch did not hold eve back: she is evaluated and her request is done; only mallory's stays
    expect(await pathOf('eve-batch')).toEqual([{ to_stage: 'OBSERVER' }]);
    expect(await pathOf('mallory-batch')).toEqual([]);
    expect((await db.query(`SELECT key FROM stage_evaluation_outbox`)).rows).toEqual([{ key: `member:${mallory}` }]);

    // once the fault is gone, the remaining request is evaluated like any other
    await db.query(`DROP TRIGGER refuse_mallory ON member_stage_transition`);
    const remaining = (await db.query(`SELECT key, seq::text AS seq FROM stage_evaluation_outbox`)).rows as Array<{ key: string; seq: string }>;
    await app.get(StageService).evaluateOutbox(remaining.map((row) => row.key), remaining.map((row) => row.seq));
    expect(await pathOf('mallory-batch')).toEqual([{ to_stage: 'OBSERVER' }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM stage_evaluation_outbox`)).rows[0].n).toBe(0);
  });
});
