import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { UnrecoverableError, Worker, type Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService } from '#libs/github';
import { StageOutboxRelay, StageService, StagesModule } from '#libs/members';
import { JobName, QueueModule, QueueName, redisConnectionOptions, type EvaluateStageOutboxJobData } from '#libs/queue';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** A worker's webhook side with the `stages` queue; the relay is run pass by pass by the test. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DeliveryProcessingModule, StagesModule] })
class WorkerSideModule {}

const REPOSITORY = { id: 5_252_5251, name: 'RWKV-LM', full_name: 'BlinkDL/RWKV-LM', owner: { login: 'BlinkDL' } };

describe('the stage evaluation outbox after an evaluation job failed every attempt', () => {
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
    const ecosystemId = await createEcosystem(db, { slug: 'outbox-failed' });
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

  const outboxJobs = async (states: Array<'waiting' | 'delayed' | 'failed'>) =>
    (await stagesQueue.getJobs(states)).filter((job) => job?.name === JobName.EvaluateStageOutbox);

  it('enqueues the request again once its re-enqueue delay has passed, and the member ends up evaluated', async () => {
    const payload = { action: 'created', repository: REPOSITORY, sender: { id: 92_001, login: 'eve-outbox', type: 'User' }, starred_at: new Date(Date.now() - 3_600_000).toISOString() };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ('outbox-failed-1', 'star', 'created', $1) RETURNING id::text AS id`,
      [JSON.stringify(payload)],
    );
    await app.get(DeliveryProcessingService).process(rows[0].id as string, { finalAttempt: true });
    expect(await relay.relayPending(0)).toBe(1);

    // the evaluation fails for good (every attempt spent, e.g. Postgres away for longer than the backoff)
    const failing = new Worker(
      QueueName.Stages,
      async () => {
        throw new UnrecoverableError('evaluation failed: connection terminated');
      },
      { connection: redisConnectionOptions(process.env.REDIS_URL!), prefix: env.queuePrefix },
    );
    await new Promise<void>((resolve) => failing.on('failed', () => resolve()));
    await failing.close();
    expect(await outboxJobs(['failed'])).toHaveLength(1);
    expect(await db.query(`SELECT 1 FROM stage_evaluation_outbox`)).toMatchObject({ rowCount: 1 });

    // the re-enqueue delay passes (STAGE_OUTBOX_REENQUEUE_AFTER_SECONDS): the relay says it enqueued the row again...
    await db.query(`UPDATE stage_evaluation_outbox SET enqueued_at = enqueued_at - interval '11 minutes'`);
    expect(await relay.relayPending(0)).toBe(1);
    // ...so a job must be waiting to run it (main: the add reused the failed job's id, BullMQ ignored it, nothing waits)
    const waiting = await outboxJobs(['waiting', 'delayed']);
    expect(waiting).toHaveLength(1);

    await app.get(StageService).evaluateOutbox((waiting[0].data as EvaluateStageOutboxJobData).keys, (waiting[0].data as EvaluateStageOutboxJobData).seqs);
    expect((await db.query(`SELECT count(*)::int AS n FROM stage_evaluation_outbox`)).rows[0].n).toBe(0);
    expect((await db.query(`SELECT t.to_stage FROM member_stage_transition t JOIN member m ON m.id = t.member_id WHERE m.login = 'eve-outbox'`)).rows).toEqual([
      { to_stage: 'OBSERVER' },
    ]);
  });
});
