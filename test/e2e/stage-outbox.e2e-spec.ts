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

/**
 * A worker's webhook side with the `stages` queue but without the outbox relay: what a worker
 * killed right after committing a delivery's activities leaves behind (its relay never ran).
 */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DeliveryProcessingModule, StagesModule] })
class KilledWorkerModule {}

const REPOSITORIES = [
  { id: 5_151_5151, name: 'RWKV-LM', full_name: 'BlinkDL/RWKV-LM', owner: { login: 'BlinkDL' } },
  { id: 5_151_5152, name: 'ChatRWKV', full_name: 'BlinkDL/ChatRWKV', owner: { login: 'BlinkDL' } },
];

describe('the stage evaluation outbox: requested with the activities, relayed, deleted when evaluated', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let stagesQueue: Queue;
  let relay: StageOutboxRelay;
  let deliveries = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await NestFactory.createApplicationContext(KilledWorkerModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    const ecosystemId = await createEcosystem(db, { slug: 'outbox' });
    for (const repository of REPOSITORIES) {
      await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, 'BlinkDL', $3, $4)`, [
        repository.id,
        ecosystemId,
        repository.name,
        repository.full_name,
      ]);
    }
    stagesQueue = app.get<Queue>(getQueueToken(QueueName.Stages));
    // the relay of another (or the restarted) worker, run pass by pass here
    relay = new StageOutboxRelay(app.get(DataSource), stagesQueue);
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  /** Stores a `star` delivery by `sender` (as the api would); its row id. */
  const starDelivery = async (sender: { id: number; login: string }, hoursAgo: number, repository = REPOSITORIES[0]) => {
    deliveries += 1;
    const payload = { action: 'created', repository, sender: { ...sender, type: 'User' }, starred_at: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ($1, 'star', 'created', $2) RETURNING id::text AS id`,
      [`outbox-e2e-${deliveries}`, JSON.stringify(payload)],
    );
    return rows[0].id as string;
  };
  const processDelivery = (rowId: string) => app.get(DeliveryProcessingService).process(rowId, { finalAttempt: true });
  const outbox = async () => (await db.query(`SELECT key, seq::text AS seq, enqueued_seq::text AS enqueued_seq FROM stage_evaluation_outbox ORDER BY key`)).rows;
  const memberOf = async (login: string) => (await db.query(`SELECT id FROM member WHERE login = $1`, [login])).rows[0].id as string;
  const stageJobs = async () => (await stagesQueue.getJobs(['waiting', 'delayed', 'active', 'prioritized'])).filter((job) => job?.name === JobName.EvaluateStageOutbox);
  const transitions = async () =>
    (await db.query(`SELECT m.login, t.from_stage, t.to_stage FROM member_stage_transition t JOIN member m ON m.id = t.member_id ORDER BY m.login, t.at`)).rows;
  /** Runs a job's evaluation as the stages processor does (the job stays in Redis, as after a kill before its completion). */
  const run = (data: EvaluateStageOutboxJobData) => app.get(StageService).evaluateOutbox(data.keys, data.seqs);

  it('keeps the evaluation of a worker killed between the activity commit and the enqueue, and evaluates the member once per request', async () => {
    // two deliveries of one member and one of another, processed by the worker that then dies
    const first = await starDelivery({ id: 91_001, login: 'ada-outbox' }, 3);
    await processDelivery(first);
    await processDelivery(await starDelivery({ id: 91_001, login: 'ada-outbox' }, 2, REPOSITORIES[1])); // a second activity
    await processDelivery(await starDelivery({ id: 91_002, login: 'bo-outbox' }, 1));
    const ada = await memberOf('ada-outbox');
    const bo = await memberOf('bo-outbox');
    // nothing reached Redis, nothing evaluated yet; one request per member however many activities
    expect(await stageJobs()).toEqual([]);
    expect(await transitions()).toEqual([]);
    expect((await outbox()).map((row) => row.key)).toEqual([`member:${ada}`, `member:${bo}`].sort());

    // the next worker's relay enqueues them in one job and marks them enqueued (a second pass adds nothing)
    expect(await relay.relayPending(0)).toBe(2);
    expect(await relay.relayPending(0)).toBe(0);
    const [job] = await stageJobs();
    expect([...(job.data as EvaluateStageOutboxJobData).keys].sort()).toEqual([`member:${ada}`, `member:${bo}`].sort());
    expect((await outbox()).every((row) => row.enqueued_seq === row.seq)).toBe(true);

    // the evaluation runs, and runs again (a worker killed after it committed, the job retried): the same state
    await run(job.data as EvaluateStageOutboxJobData);
    const once = await transitions();
    expect(once).toEqual([
      { login: 'ada-outbox', from_stage: null, to_stage: 'OBSERVER' },
      { login: 'bo-outbox', from_stage: null, to_stage: 'OBSERVER' },
    ]);
    expect(await outbox()).toEqual([]);
    await run(job.data as EvaluateStageOutboxJobData);
    expect(await transitions()).toEqual(once);
    await job.remove();

    // a replayed delivery inserts nothing and asks for nothing
    await db.query(`UPDATE webhook_delivery SET status = 'received' WHERE id = $1`, [first]);
    expect(await processDelivery(first)).toMatchObject({ status: 'processed', activitiesInserted: 0 });
    expect(await outbox()).toEqual([]);
    expect(await relay.relayPending(0)).toBe(0);
  });

  it('keeps a request that arrives while its member is enqueued for the next evaluation', async () => {
    await processDelivery(await starDelivery({ id: 91_003, login: 'cy-outbox' }, 5));
    const cy = await memberOf('cy-outbox');
    expect(await relay.relayPending(0)).toBe(1);
    const [job] = await stageJobs();
    // the request handed to the job dates from a while ago
    await db.query(`UPDATE stage_evaluation_outbox SET requested_at = now() - interval '1 hour'`);
    // a new activity of the member after the enqueue: the request gets a new seq, and is dated now
    // (the one handed to the job is not what waits: the backlog's age is the new request's)
    await processDelivery(await starDelivery({ id: 91_003, login: 'cy-outbox' }, 4, REPOSITORIES[1]));
    const [requested] = await outbox();
    expect(requested.key).toBe(`member:${cy}`);
    expect(requested.seq).not.toBe(requested.enqueued_seq);
    const [{ age }] = (await db.query(`SELECT extract(epoch FROM now() - requested_at)::float8 AS age FROM stage_evaluation_outbox`)).rows;
    expect(age).toBeLessThan(600);
    await run(job.data as EvaluateStageOutboxJobData);
    await job.remove();
    // the older job did not delete the newer request: the relay enqueues it again
    expect((await outbox()).map((row) => row.key)).toEqual([`member:${cy}`]);
    expect(await relay.relayPending(0)).toBe(1);
    const [again] = await stageJobs();
    await run(again.data as EvaluateStageOutboxJobData);
    await again.remove();
    expect(await outbox()).toEqual([]);
  });

  it('keeps the date of a request still waiting when the member is requested again before the relay', async () => {
    await processDelivery(await starDelivery({ id: 91_005, login: 'ed-outbox' }, 7));
    await db.query(`UPDATE stage_evaluation_outbox SET requested_at = now() - interval '1 hour'`);
    await processDelivery(await starDelivery({ id: 91_005, login: 'ed-outbox' }, 3, REPOSITORIES[1]));
    const [{ age }] = (await db.query(`SELECT extract(epoch FROM now() - requested_at)::float8 AS age FROM stage_evaluation_outbox`)).rows;
    expect(age).toBeGreaterThan(3000);
    expect(await relay.relayPending(0)).toBe(1);
    const [job] = await stageJobs();
    await run(job.data as EvaluateStageOutboxJobData);
    await job.remove();
    expect(await outbox()).toEqual([]);
  });

  it('waits before relaying a fresh request (the sync writes who merged a pull request just after its activities)', async () => {
    await processDelivery(await starDelivery({ id: 91_004, login: 'di-outbox' }, 6));
    expect(await relay.relayPending(3600)).toBe(0);
    expect(await relay.relayPending(0)).toBe(1);
    const [job] = await stageJobs();
    await run(job.data as EvaluateStageOutboxJobData);
    await job.remove();
  });
});
