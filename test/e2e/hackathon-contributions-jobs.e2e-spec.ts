import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ContributionFreezeService, ContributionFreezeTrigger } from '#libs/hackathons';
import { JobName, JobSchedulerId, QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { HackathonsProcessorModule } from '../../apps/worker/src/processors/hackathons-processor.module.js';
import { createActivities, createEcosystem, createMember, createRepository } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

/** The worker side: config, database, queues and the hackathons processor. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, HackathonsProcessorModule] })
class HackathonsWorkerModule {}

let diagnose: (() => Promise<string>) | null = null;

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}${diagnose ? `: ${await diagnose()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('hackathon contribution jobs: freeze on the move to judging, twice = once, nothing half-done after a failure', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let worker: INestApplicationContext;
  let queue: Queue;
  let ecosystemId: number;
  let repositoryId: number;
  let memberId: string;

  const hackathon = async (slug: string) => {
    // one statement: the sweep the worker runs at boot may run at any moment, and must not see the event half-made.
    // The window is still open (ends in 2099): only the status says the event has closed
    const { rows } = await db.query(
      `WITH h AS (
         INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
         VALUES ($1, $2, $2, 'judging', '2025-01-01T00:00:00Z', '2099-01-01T00:00:00Z') RETURNING id),
       tracked AS (INSERT INTO hackathon_repository (hackathon_id, repository_id) SELECT id, $3 FROM h),
       registered AS (INSERT INTO hackathon_registration (hackathon_id, member_id) SELECT id, $4 FROM h)
       SELECT id FROM h`,
      [ecosystemId, slug, repositoryId, memberId],
    );
    return rows[0].id as string;
  };
  const frozenAt = async (id: string) => (await db.query(`SELECT eligibility_frozen_at FROM hackathon WHERE id = $1`, [id])).rows[0].eligibility_frozen_at as Date | null;
  const decisions = async (id: string) => (await db.query(`SELECT subject_key, eligible, reason FROM hackathon_contribution WHERE hackathon_id = $1`, [id])).rows;
  // the sweep's next run waits as a delayed job: not counted
  const idle = async () => (await queue.getJobCountByTypes('waiting', 'active', 'prioritized')) === 0;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    ecosystemId = await createEcosystem(db);
    repositoryId = await createRepository(db, { ecosystemId });
    const member = await createMember(db, { login: 'jobs-participant' });
    memberId = member.memberId;
    await createActivities(db, [
      { member, repositoryId, type: 'pull_request_opened', occurredAt: '2025-03-01T00:00:00Z', facts: { number: 12 } },
    ]);
    queue = new Queue(QueueName.Hackathons, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    worker = await NestFactory.createApplicationContext(HackathonsWorkerModule, { logger: false, abortOnError: false });
    diagnose = async () => {
      const failed = await queue.getFailed();
      return `counts ${JSON.stringify(await queue.getJobCounts())}; failed: ${failed.map((job) => `${job.name}: ${job.failedReason}`).join('; ')}`;
    };
  });

  afterAll(async () => {
    await worker?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    await db?.end();
    await env?.teardown();
  });

  it('registers the sweep once as a job scheduler', async () => {
    const scheduler = await queue.getJobScheduler(JobSchedulerId.HackathonContributionsSweep);
    expect(scheduler).toMatchObject({ name: JobName.SweepHackathonContributions });
  });

  it('the freeze requested twice on the move to judging stores the decisions once', async () => {
    const id = await hackathon('jobs-twice');
    const trigger = worker.get(ContributionFreezeTrigger, { strict: false });
    await trigger.hackathonClosed(id);
    await trigger.hackathonClosed(id);
    await until(async () => (await frozenAt(id)) !== null && (await idle()), 'the freeze');
    const first = { at: await frozenAt(id), rows: await decisions(id) };
    expect(first.rows).toEqual([{ subject_key: `pr:${repositoryId}:12`, eligible: true, reason: 'tracked_repository' }]);
    // a third request after the first job completed runs again: frozen already, nothing changes
    await trigger.hackathonClosed(id);
    await until(idle, 'the third job');
    expect({ at: await frozenAt(id), rows: await decisions(id) }).toEqual(first);
    expect((await db.query(`SELECT count(*)::int AS n FROM hackathon_contribution_change WHERE hackathon_id = $1`, [id])).rows[0].n).toBe(0);
  });

  it('a freeze that fails half-way leaves nothing behind, and the retry freezes', async () => {
    // the decisions' insert fails as a crash would interrupt it
    await db.query(`CREATE FUNCTION fail_freeze() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'interrupted'; END $$`);
    await db.query(`CREATE TRIGGER fail_freeze BEFORE INSERT ON hackathon_contribution FOR EACH ROW EXECUTE FUNCTION fail_freeze()`);
    const id = await hackathon('jobs-crash');
    const freezes = worker.get(ContributionFreezeService, { strict: false });
    await expect(freezes.freeze(id)).rejects.toThrow('interrupted');
    await expect(freezes.sweep()).rejects.toThrow(/1 of \d+ hackathons failed .*interrupted/);
    expect(await frozenAt(id)).toBeNull();
    expect(await decisions(id)).toEqual([]);
    await db.query(`DROP TRIGGER fail_freeze ON hackathon_contribution; DROP FUNCTION fail_freeze()`);
    expect(await freezes.sweep()).toEqual({ frozen: 1, changes: 0 });
    expect(await decisions(id)).toHaveLength(1);
    expect(await frozenAt(id)).not.toBeNull();
  });
});
