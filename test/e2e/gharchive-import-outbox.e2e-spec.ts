import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { GharchiveImportModule, GharchiveImportService } from '#libs/github';
import { StageOutboxRelay, StageService, StagesModule } from '#libs/members';
import { JobName, QueueModule, QueueName, type EvaluateStageOutboxJobData } from '#libs/queue';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { insertEventRepositories, SAMPLE_FILE, sampleEvents } from './gharchive-helpers.js';

/** With the queues (an import run by the worker or the api): the stages queue exists. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, StagesModule, GharchiveImportModule] })
class QueuedImportModule {}

/**
 * A GH Archive import where the `stages` queue exists requests its members' evaluations the way
 * every other activity write does: rows of `stage_evaluation_outbox` written by the insert statement
 * itself (an import killed after a batch's commit loses none), relayed by the workers — not
 * `evaluate-stages` jobs added after the commit.
 */
describe('a GH Archive import with the queues requests stage evaluations through the outbox (e2e)', () => {
  const events = sampleEvents();
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Client;
  let stages: Queue;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    app = await NestFactory.createApplicationContext(QueuedImportModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    const ecosystemId = await createEcosystem(db, { slug: 'import-outbox' });
    await insertEventRepositories(db, ecosystemId, events);
    stages = app.get<Queue>(getQueueToken(QueueName.Stages));
  });

  afterAll(async () => {
    await stages?.obliterate({ force: true });
    await db?.end();
    await app?.close();
    await env?.teardown();
  });

  it('writes one outbox row per member with the activities, enqueues no evaluate-stages job, and the relayed evaluations stage every member', async () => {
    const result = await app.get(GharchiveImportService).import(SAMPLE_FILE, { all: true, batchSize: 9, progressIntervalMs: 0 });
    expect(result.activitiesWritten).toBeGreaterThan(20);
    const [{ missing }] = (
      await db.query(
        `SELECT count(DISTINCT a.member_id)::int AS missing FROM activity a
          WHERE NOT EXISTS (SELECT 1 FROM stage_evaluation_outbox o WHERE o.key = 'member:' || a.member_id)`,
      )
    ).rows;
    expect(missing).toBe(0);
    expect((await stages.getJobs(['waiting', 'delayed', 'prioritized'])).filter((job) => job?.name === JobName.EvaluateStages)).toEqual([]);

    // the workers' relay and evaluation, run here
    const relay = new StageOutboxRelay(app.get(DataSource), stages);
    while ((await relay.relayPending(0)) > 0);
    const jobs = (await stages.getJobs(['waiting', 'delayed', 'prioritized'])).filter((job) => job?.name === JobName.EvaluateStageOutbox);
    for (const job of jobs) {
      const { keys, seqs } = job.data as EvaluateStageOutboxJobData;
      await app.get(StageService).evaluateOutbox(keys, seqs);
    }
    expect((await db.query(`SELECT count(*)::int AS n FROM stage_evaluation_outbox`)).rows[0].n).toBe(0);
    const [staged] = (
      await db.query(
        `SELECT count(DISTINCT a.member_id)::int AS active, (SELECT count(DISTINCT member_id)::int FROM member_stage) AS staged
           FROM activity a JOIN member m ON m.id = a.member_id AND m.kind = 'person' AND m.merged_into_id IS NULL`,
      )
    ).rows;
    expect(staged.staged).toBe(staged.active);
  });
});
