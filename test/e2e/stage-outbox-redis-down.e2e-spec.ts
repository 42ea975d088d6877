import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { StageOutboxRelay, StagesModule } from '#libs/members';
import { QueueModule, QueueName } from '#libs/queue';
import { RedisServer, until } from '../helpers/local-servers.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, StagesModule] })
class WorkerSideModule {}

/** Far above anything a pass that answers should take: only a pass that never answers reaches it. */
const HANG_BOUND_MS = 30_000;

describe('the stage outbox relay while Redis is away', () => {
  let env: TestEnv;
  let redis: RedisServer;
  let app: INestApplicationContext;
  let db: pg.Client;
  let relay: StageOutboxRelay;

  beforeAll(async () => {
    env = await createTestEnv();
    redis = await RedisServer.start();
    env.apply({ REDIS_URL: redis.url, LOG_LEVEL: 'warn' });
    app = await NestFactory.createApplicationContext(WorkerSideModule, { logger: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    const queue = app.get<Queue>(getQueueToken(QueueName.Stages));
    await queue.waitUntilReady();
    relay = new StageOutboxRelay(app.get(DataSource), queue);
  });

  afterAll(async () => {
    await db?.end();
    if (redis && !redis.running) await redis.restart();
    await app?.close();
    await redis?.kill();
    await env?.teardown();
  });

  it('answers (no Postgres transaction held open for the outage), and relays once Redis is back', async () => {
    await db.query(`INSERT INTO stage_evaluation_outbox (key) VALUES ($1)`, [`member:${randomUUID()}`]);
    await redis.kill();

    const pass = relay.relayPending(0).then(
      (relayed) => ({ answered: true, relayed }),
      (error: Error) => ({ answered: true, error: error.message }),
    );
    let bound: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([pass, new Promise<{ answered: false }>((resolve) => (bound = setTimeout(() => resolve({ answered: false }), HANG_BOUND_MS)))]);
    clearTimeout(bound);
    // main: addBulk waits for Redis inside the pass's transaction, for as long as Redis is away
    const idle = (await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`)).rows[0].n;
    expect({ outcome, idleInTransaction: idle }).toEqual({ outcome: expect.objectContaining({ answered: true }), idleInTransaction: 0 });
    expect((await db.query(`SELECT enqueued_seq FROM stage_evaluation_outbox`)).rows).toEqual([{ enqueued_seq: null }]);

    await redis.restart();
    await pass;
    // once the connection is back, a pass enqueues the row and marks it
    await until(async () => {
      await relay.relayPending(0).catch(() => 0);
      return (await db.query(`SELECT enqueued_seq = seq AS enqueued FROM stage_evaluation_outbox`)).rows[0].enqueued === true;
    }, 'the outbox row enqueued after Redis came back');
  }, 90_000);
});
