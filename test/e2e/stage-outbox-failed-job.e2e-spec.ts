import { UnrecoverableError, Worker } from 'bullmq';
import { StageService } from '#libs/members';
import { QueueName, redisConnectionOptions, type EvaluateStageOutboxJobData } from '#libs/queue';
import { outboxJobs, startStageOutboxSide, type StageOutboxSide } from './stage-outbox-helpers.js';

describe('the stage evaluation outbox after an evaluation job failed every attempt', () => {
  let side: StageOutboxSide;

  beforeAll(async () => {
    side = await startStageOutboxSide({ ecosystemSlug: 'outbox-failed', repositoryId: 5_252_5251 });
  });

  afterAll(async () => {
    await side?.close();
  });

  it('enqueues the request again once its re-enqueue delay has passed, and the member ends up evaluated', async () => {
    const { db, app, relay } = side;
    await side.star('outbox-failed-1', { id: 92_001, login: 'eve-outbox' });
    expect(await relay.relayPending(0)).toBe(1);

    // the evaluation fails for good (every attempt spent, e.g. Postgres away for longer than the backoff)
    const failing = new Worker(
      QueueName.Stages,
      async () => {
        throw new UnrecoverableError('evaluation failed: connection terminated');
      },
      { connection: redisConnectionOptions(process.env.REDIS_URL!), prefix: side.env.queuePrefix },
    );
    await new Promise<void>((resolve) => failing.on('failed', () => resolve()));
    await failing.close();
    expect(await outboxJobs(side, ['failed'])).toHaveLength(1);
    expect(await db.query(`SELECT 1 FROM stage_evaluation_outbox`)).toMatchObject({ rowCount: 1 });

    // the re-enqueue delay passes (STAGE_OUTBOX_REENQUEUE_AFTER_SECONDS): the relay says it enqueued the row again...
    await db.query(`UPDATE stage_evaluation_outbox SET enqueued_at = enqueued_at - interval '11 minutes'`);
    expect(await relay.relayPending(0)).toBe(1);
    // ...so a job must be waiting to run it (main: the add reused the failed job's id, BullMQ ignored it, nothing waits)
    const waiting = await outboxJobs(side, ['waiting', 'delayed']);
    expect(waiting).toHaveLength(1);

    await app.get(StageService).evaluateOutbox((waiting[0].data as EvaluateStageOutboxJobData).keys, (waiting[0].data as EvaluateStageOutboxJobData).seqs);
    expect((await db.query(`SELECT count(*)::int AS n FROM stage_evaluation_outbox`)).rows[0].n).toBe(0);
    expect((await db.query(`SELECT t.to_stage FROM member_stage_transition t JOIN member m ON m.id = t.member_id WHERE m.login = 'eve-outbox'`)).rows).toEqual([
      { to_stage: 'OBSERVER' },
    ]);
  });
});
