import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService } from '#libs/github';
import { MemberMergeService, StageOutboxRelay, StageService, StagesModule } from '#libs/members';
import { JobName, QueueModule, QueueName, type EvaluateStageOutboxJobData } from '#libs/queue';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** A worker's webhook side with the `stages` queue; the relay is run pass by pass by the test. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DeliveryProcessingModule, StagesModule] })
class WorkerSideModule {}

const REPOSITORY = { id: 5_353_5351, name: 'RWKV-LM', full_name: 'BlinkDL/RWKV-LM', owner: { login: 'BlinkDL' } };

describe('stages after a merge whose recomputation did not run (the api died after the commit, or the hook failed)', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let stagesQueue: Queue;
  let relay: StageOutboxRelay;
  let deliveries = 0;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await NestFactory.createApplicationContext(WorkerSideModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    const ecosystemId = await createEcosystem(db, { slug: 'outbox-merge' });
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

  const star = async (sender: { id: number; login: string }, hoursAgo: number) => {
    deliveries += 1;
    const payload = { action: 'created', repository: REPOSITORY, sender: { ...sender, type: 'User' }, starred_at: new Date(Date.now() - hoursAgo * 3_600_000).toISOString() };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ($1, 'star', 'created', $2) RETURNING id::text AS id`,
      [`outbox-merge-${deliveries}`, JSON.stringify(payload)],
    );
    await app.get(DeliveryProcessingService).process(rows[0].id as string, { finalAttempt: true });
  };
  const memberOf = async (login: string) => (await db.query(`SELECT id FROM member WHERE login = $1`, [login])).rows[0].id as string;
  /** What the workers do on their own: relay the outbox and run its jobs, and the scheduled lapse check. */
  const workersCatchUp = async () => {
    await relay.relayPending(0);
    for (const job of await stagesQueue.getJobs(['waiting', 'delayed'])) {
      if (job?.name !== JobName.EvaluateStageOutbox) continue;
      await app.get(StageService).evaluateOutbox((job.data as EvaluateStageOutboxJobData).keys, (job.data as EvaluateStageOutboxJobData).seqs);
      await job.remove();
    }
    await app.get(StageService).checkLapses();
  };
  const stageRows = async () =>
    (await db.query(`SELECT member_id::text, ecosystem_id, stage, first_seen_at FROM member_stage ORDER BY member_id, ecosystem_id`)).rows;

  it('ends with the stages a recomputation from scratch stores: the merged-away member holds none', async () => {
    await star({ id: 93_001, login: 'fay-outbox' }, 5);
    await star({ id: 93_002, login: 'fay-outbox-alt' }, 4);
    const into = await memberOf('fay-outbox');
    const from = await memberOf('fay-outbox-alt');
    await workersCatchUp();
    expect((await stageRows()).map((row) => row.member_id).sort()).toEqual([into, from].sort());

    // the merge commits; the recomputation after it fails (Postgres blip, or the api is killed right after the commit)
    const merges = new MemberMergeService(app.get(DataSource), {
      recomputeMembers: () => Promise.reject(new Error('Connection terminated unexpectedly')),
    });
    await merges.merge(into, from, { reason: 'same person: fay', actor: 'admin:e2e' });

    // the workers keep running: the outbox relay, its jobs, the hourly scheduled check
    await workersCatchUp();
    const after = await stageRows();

    await app.get(StageService).recomputeEcosystem(null);
    const fromScratch = await stageRows();
    expect(fromScratch.map((row) => row.member_id)).toEqual([into]);
    // main: the merged-away member keeps its member_stage row (counted twice in funnels) and nothing ever clears it
    expect(after).toEqual(fromScratch);
  });
});
