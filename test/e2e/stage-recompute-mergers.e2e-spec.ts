import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, type RestPullRequest } from '#libs/github';
import { ActivityService, IdentityService, StageOutboxRelay, StageService, StagesModule } from '#libs/members';
import { JobName, QueueModule, QueueName, type EvaluateStageOutboxJobData } from '#libs/queue';
import { PullRequestWriter } from '../../libs/github/src/sync/pull-request-writer.service.js';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** A worker with the `stages` queue (activity writes go through the stage evaluation outbox). */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DeliveryProcessingModule, StagesModule] })
class WorkerSideModule {}

const REPOSITORY_ID = 5_454_5461;
const AUTHOR = { id: 95_001, login: 'ivy-author', type: 'User' };
const MERGER = { id: 95_002, login: 'jo-merger', type: 'User' };

/** A merged pull request as "List pull requests" answers it: no `merged_by` (only "Get a pull request" carries it). */
const listed = (number: number, day: number) => ({
  id: REPOSITORY_ID * 100 + number,
  number,
  title: `change ${number}`,
  state: 'closed',
  user: AUTHOR,
  created_at: `2026-10-${String(day).padStart(2, '0')}T10:00:00Z`,
  updated_at: `2026-10-${String(day).padStart(2, '0')}T12:00:00Z`,
  closed_at: `2026-10-${String(day).padStart(2, '0')}T12:00:00Z`,
  merged_at: `2026-10-${String(day).padStart(2, '0')}T12:00:00Z`,
  merge_commit_sha: `${number}`.padStart(40, 'c'),
  head: { sha: `${number}`.padStart(40, 'a'), ref: `change-${number}` },
  base: { ref: 'main' },
  labels: [],
});

describe('recomputing the stages of every ecosystem (recompute-stages) after merges went unevaluated', () => {
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let stagesQueue: Queue;
  let relay: StageOutboxRelay;
  let writer: PullRequestWriter;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await NestFactory.createApplicationContext(WorkerSideModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    const ecosystemId = await createEcosystem(db, { slug: 'recompute-merger' });
    await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, 'BlinkDL', 'RWKV-LM', 'BlinkDL/RWKV-LM')`, [
      REPOSITORY_ID,
      ecosystemId,
    ]);
    stagesQueue = app.get<Queue>(getQueueToken(QueueName.Stages));
    relay = new StageOutboxRelay(app.get(DataSource), stagesQueue);
    writer = new PullRequestWriter(app.get(DataSource), app.get(ActivityService), app.get(IdentityService));
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

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
  const stageState = async () => ({
    stages: (await db.query(`SELECT m.login, s.stage FROM member_stage s JOIN member m ON m.id = s.member_id ORDER BY m.login`)).rows,
    transitions: (await db.query(`SELECT m.login, t.to_stage, t.at FROM member_stage_transition t JOIN member m ON m.id = t.member_id ORDER BY m.login, t.at, t.to_stage`)).rows,
  });

  it('evaluates the members who merged pull requests, as an evaluation of everyone does', async () => {
    const pulls = [listed(1, 1), listed(2, 8), listed(3, 15), listed(4, 22)];
    await writer.writePullRequests(REPOSITORY_ID, pulls as unknown as RestPullRequest[]);
    await app.get(IdentityService).resolveMany([{ kind: 'github', account: MERGER }]);
    await workersCatchUp();
    // mergers stored without their evaluation (as the details sync did before it requested one)
    await db.query(`UPDATE pull_request SET merged_by_account_id = $1 WHERE repository_id = $2`, [MERGER.id, REPOSITORY_ID]);

    // the operator's remedy: recompute every ecosystem
    await app.get(StageService).recomputeEcosystem(null);
    const recomputed = await stageState();

    const everyone = (await db.query(`SELECT id FROM member`)).rows.map((row) => row.id as string);
    await app.get(StageService).evaluateMembers(everyone);
    const fromScratch = await stageState();
    expect(fromScratch.stages.map((row) => row.login)).toContain(MERGER.login);
    // main: the recomputation takes members with activities or stage rows there; a merger has neither
    expect(recomputed).toEqual(fromScratch);
  });
});
