import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingModule, DeliveryProcessingService } from '#libs/github';
import { ActivityService, IdentityService, StageOutboxRelay, StageService, StagesModule } from '#libs/members';
import { JobName, QueueModule, QueueName, type EvaluateStageOutboxJobData } from '#libs/queue';
import { PullRequestWriter } from '../../libs/github/src/sync/pull-request-writer.service.js';
import { createEcosystem } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * A worker's webhook and sync side with the `stages` queue: activity writes go through the stage
 * evaluation outbox; the relay and the outbox jobs are run by the test, pass by pass.
 */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, DeliveryProcessingModule, StagesModule] })
class StageOutboxWorkerModule {}

/** The tracked repository of a stage outbox test, as a webhook payload names it (BlinkDL/RWKV-LM under its own id). */
export interface OutboxRepository {
  id: number;
  name: string;
  full_name: string;
  owner: { login: string };
}

/** The worker side of a stage outbox test, over its own test database and queue prefix. */
export interface StageOutboxSide {
  env: TestEnv;
  app: INestApplicationContext;
  /** A client of the test database, for the test's own reads and faults. */
  db: pg.Client;
  stagesQueue: Queue;
  relay: StageOutboxRelay;
  repository: OutboxRepository;
  /** Stores a `star` webhook delivery of `sender` on the repository (an hour ago) and processes it as the worker does. */
  star(deliveryId: string, sender: { id: number; login: string }): Promise<void>;
  /** Closes the client and the context, and drops the test database and queues. */
  close(): Promise<void>;
}

/**
 * Starts the worker side of a stage outbox test: a test environment (applied to `process.env`), the
 * Nest context, a database client, an ecosystem `ecosystemSlug` tracking BlinkDL/RWKV-LM as
 * repository `repositoryId` (an id of the test's own, so that test files never share rows), and the
 * outbox relay on the `stages` queue.
 */
export async function startStageOutboxSide(options: { ecosystemSlug: string; repositoryId: number }): Promise<StageOutboxSide> {
  const env = await createTestEnv();
  env.apply();
  const app = await NestFactory.createApplicationContext(StageOutboxWorkerModule, { logger: false });
  const db = new pg.Client({ connectionString: env.database.url });
  await db.connect();
  const repository: OutboxRepository = { id: options.repositoryId, name: 'RWKV-LM', full_name: 'BlinkDL/RWKV-LM', owner: { login: 'BlinkDL' } };
  const ecosystemId = await createEcosystem(db, { slug: options.ecosystemSlug });
  await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, $3, $4, $5)`, [
    repository.id,
    ecosystemId,
    repository.owner.login,
    repository.name,
    repository.full_name,
  ]);
  const stagesQueue = app.get<Queue>(getQueueToken(QueueName.Stages));
  const relay = new StageOutboxRelay(app.get(DataSource), stagesQueue);

  const star = async (deliveryId: string, sender: { id: number; login: string }) => {
    const payload = { action: 'created', repository, sender: { ...sender, type: 'User' }, starred_at: new Date(Date.now() - 3_600_000).toISOString() };
    const { rows } = await db.query(
      `INSERT INTO webhook_delivery (delivery_id, event, action, payload) VALUES ($1, 'star', 'created', $2) RETURNING id::text AS id`,
      [deliveryId, JSON.stringify(payload)],
    );
    await app.get(DeliveryProcessingService).process(rows[0].id as string, { finalAttempt: true });
  };
  const close = async () => {
    await db.end();
    await app.close();
    await env.teardown();
  };
  return { env, app, db, stagesQueue, relay, repository, star, close };
}

/** The `evaluate-stage-outbox` jobs of the `stages` queue in `states`. */
export async function outboxJobs(side: StageOutboxSide, states: Array<'waiting' | 'delayed' | 'failed'>) {
  return (await side.stagesQueue.getJobs(states)).filter((job) => job?.name === JobName.EvaluateStageOutbox);
}

/** The pull request writer of the sync, over the side's context. */
export function pullRequestWriter(side: StageOutboxSide): PullRequestWriter {
  return new PullRequestWriter(side.app.get(DataSource), side.app.get(ActivityService), side.app.get(IdentityService));
}

/**
 * A merged pull request of `author` in repository `repositoryId` as "List pull requests" answers it,
 * created on and merged on October `day`, 2026: no `merged_by` (only "Get a pull request" carries it).
 */
export function listedMergedPull(repositoryId: number, author: { id: number; login: string; type: string }, number: number, day: number) {
  const date = `2026-10-${String(day).padStart(2, '0')}`;
  return {
    id: repositoryId * 100 + number,
    number,
    title: `change ${number}`,
    state: 'closed',
    user: author,
    created_at: `${date}T10:00:00Z`,
    updated_at: `${date}T12:00:00Z`,
    closed_at: `${date}T12:00:00Z`,
    merged_at: `${date}T12:00:00Z`,
    merge_commit_sha: `${number}`.padStart(40, 'c'),
    head: { sha: `${number}`.padStart(40, 'a'), ref: `change-${number}` },
    base: { ref: 'main' },
    labels: [],
  };
}

/** What the workers do on their own: relay the outbox and run its jobs (removing them), then the scheduled lapse check. */
export async function workersCatchUp(side: StageOutboxSide): Promise<void> {
  await side.relay.relayPending(0);
  for (const job of await outboxJobs(side, ['waiting', 'delayed'])) {
    const { keys, seqs } = job.data as EvaluateStageOutboxJobData;
    await side.app.get(StageService).evaluateOutbox(keys, seqs);
    await job.remove();
  }
  await side.app.get(StageService).checkLapses();
}

/** Every member's stage and stage transitions, by login (and instant), to compare two ways of getting there. */
export async function stageState(side: StageOutboxSide) {
  return {
    stages: (await side.db.query(`SELECT m.login, s.stage FROM member_stage s JOIN member m ON m.id = s.member_id ORDER BY m.login`)).rows,
    transitions: (await side.db.query(`SELECT m.login, t.to_stage, t.at FROM member_stage_transition t JOIN member m ON m.id = t.member_id ORDER BY m.login, t.at, t.to_stage`))
      .rows,
  };
}
