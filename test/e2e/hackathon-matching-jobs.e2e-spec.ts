import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { UnrecoverableError, Worker, type Job, type Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ContributionFreezeService, HackathonContributionsModule, MatchingModule, MatchingReviewService, MatchingRunService, matchingRunJobId, type MatchingRunExecution } from '#libs/hackathons';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { HackathonsProcessor } from '../../apps/worker/src/processors/hackathons.processor.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { createHackathon, createMatchingHackathon } from './hackathon-matching-helpers.js';

/** Case J2 (../shared/cases/jobs.md): a matching job that runs twice, and CPU-heavy solving next to lock renewal. */
describe('matching run jobs: executed twice, a worker lost after solving, a long solve (e2e)', () => {
  let env: TestEnv;
  let db: pg.Pool;
  let app: INestApplicationContext;
  let queue: Queue;
  let processor: HackathonsProcessor;
  let runs: MatchingRunService;
  let review: MatchingReviewService;
  let ecosystemId: number;
  const extraWorkers: Worker[] = [];

  const workerOptions = (lockDuration: number) => ({
    connection: redisConnectionOptions(process.env.REDIS_URL!),
    prefix: env.queuePrefix,
    lockDuration,
    stalledInterval: lockDuration / 2,
    maxStalledCount: 2,
  });
  const snapshot = async (runId: string) => ({
    allocations: (await db.query(`SELECT team_id, resource_id, units, pinned FROM allocation WHERE run_id = $1 ORDER BY 1, 2`, [runId])).rows,
    explanations: (await db.query(`SELECT count(*)::int AS n FROM matching_explanation WHERE run_id = $1`, [runId])).rows[0].n,
    run: (await db.query(`SELECT status, objective, input_hash FROM matching_run WHERE id = $1`, [runId])).rows[0],
  });

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply();
    db = new pg.Pool({ connectionString: env.database.url, max: 3 });
    // no @Processor worker here: each test runs the processor in the BullMQ workers it needs (a
    // worker's stalled check also rate-limits the others', at its own interval)
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, MatchingModule, HackathonContributionsModule] }).compile();
    app = await moduleRef.init();
    queue = app.get<Queue>(getQueueToken(QueueName.Hackathons));
    runs = app.get(MatchingRunService);
    review = app.get(MatchingReviewService);
    processor = new HackathonsProcessor(app.get(ContributionFreezeService), runs);
    ecosystemId = await createEcosystem(db, { slug: 'jobs' });
  });

  afterAll(async () => {
    for (const worker of extraWorkers) await worker.close(true);
    await queue?.obliterate({ force: true });
    await app?.close();
    await db?.end();
    await env?.teardown();
  });

  it('stores one draft when the processor runs the same job twice at once and again later, and publishing notifies once', async () => {
    const hackathon = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
    const { run } = await runs.start(hackathon.id);
    const job = (await queue.getJob(matchingRunJobId(run.id))) as Job;
    expect(job).toBeDefined();
    const concurrent = await Promise.all([processor.process(job), processor.process(job)]);
    expect(concurrent.map((r) => (r as MatchingRunExecution).stored).sort()).toEqual([false, true]);
    const first = await snapshot(run.id);
    expect(first.run.status).toBe('draft');
    expect(first.allocations.length).toBeGreaterThan(0);
    expect(first.explanations).toBe(4);
    expect(await processor.process(job)).toEqual({ runId: run.id, status: 'draft', stored: false });
    expect(await snapshot(run.id)).toEqual(first);

    const published = await Promise.all([review.publish(run.id), review.publish(run.id)]);
    expect(published.map((p) => p.notified).sort()).toEqual([0, 4]);
    expect((await review.publish(run.id)).notified).toBe(0);
    const notifications = (await db.query(`SELECT team_id, count(*)::int AS n FROM team_notification WHERE run_id = $1 GROUP BY team_id`, [run.id])).rows;
    expect(notifications.map((n) => n.n)).toEqual([1, 1, 1, 1]);
    await queue.remove(job.id!);
  });

  it('changes nothing when a worker is lost after solving and another takes the job over', async () => {
    const hackathon = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
    let solved!: () => void;
    const solvedOnce = new Promise<void>((resolve) => (solved = resolve));
    // worker A solves and stores the draft, then never acknowledges and stops renewing its lock,
    // as a process killed right after solving would
    const lost = new Worker(
      QueueName.Hackathons,
      async (job) => {
        await processor.process(job);
        solved();
        return new Promise(() => {});
      },
      { ...workerOptions(1000), skipLockRenewal: true },
    );
    extraWorkers.push(lost);
    lost.on('error', () => {}); // "could not renew lock" after the takeover: what a lost worker would log
    // listen before the run starts: on a loaded machine the lost worker's own stalled check can
    // move the job back to waiting before the draft has been read below
    const stalled: string[] = [];
    lost.on('stalled', (jobId) => stalled.push(jobId));
    const { run } = await runs.start(hackathon.id);
    await solvedOnce;
    const afterFirst = await snapshot(run.id);
    expect(afterFirst.run.status).toBe('draft');

    const executions: Array<{ stored: boolean }> = [];
    const takeover = new Worker(
      QueueName.Hackathons,
      async (job) => {
        const result = (await processor.process(job)) as { stored: boolean };
        executions.push(result);
        return result;
      },
      // it finds the lost worker's job stalled within half a second, but holds its own lock for 10 s: an
      // event-loop stall of a loaded machine must not make its run look stalled too
      { ...workerOptions(10_000), stalledInterval: 500 },
    );
    extraWorkers.push(takeover);
    takeover.on('stalled', (jobId) => stalled.push(jobId));
    const completed = new Promise<Job>((resolve) => takeover.on('completed', (job) => resolve(job)));
    const job = await completed;
    await takeover.close();
    expect(job.id).toBe(matchingRunJobId(run.id));
    expect(stalled).toEqual([job.id]);
    expect(executions).toEqual([{ runId: run.id, status: 'draft', stored: false }]);
    expect(await snapshot(run.id)).toEqual(afterFirst);
    expect(job.attemptsStarted).toBe(2);

    await review.publish(run.id);
    await review.publish(run.id);
    expect((await db.query(`SELECT count(*)::int AS n FROM team_notification WHERE run_id = $1`, [run.id])).rows[0].n).toBe(4);
  });

  it('starts a new run when the job of the active run failed for good, and re-adds a lost job', async () => {
    const hackathon = await createMatchingHackathon(db, ecosystemId, (login) => createMember(db, { login }));
    const { run: lostJob } = await runs.start(hackathon.id);
    await queue.remove(matchingRunJobId(lostJob.id));
    // the job was lost (Redis flushed): starting again re-adds it under the same id
    const again = await runs.start(hackathon.id);
    expect(again).toMatchObject({ created: false, run: { id: lostJob.id } });
    expect(await queue.getJobState(matchingRunJobId(lostJob.id))).toBe('waiting');

    // the job fails for good while the run is running (an unrecoverable error is not retried)
    const failing = new Worker(
      QueueName.Hackathons,
      async (job) => {
        await db.query(`UPDATE matching_run SET status = 'running' WHERE id = $1`, [job.data.runId]);
        throw new UnrecoverableError('worker crashed');
      },
      workerOptions(1000),
    );
    extraWorkers.push(failing);
    const failed = new Promise<void>((resolve) => failing.on('failed', () => resolve()));
    await failed;
    await failing.close();
    const fresh = await runs.start(hackathon.id);
    expect(fresh.created).toBe(true);
    expect(fresh.run.id).not.toBe(lostJob.id);
    expect((await db.query(`SELECT status, error FROM matching_run WHERE id = $1`, [lostJob.id])).rows[0]).toEqual({
      status: 'failed',
      error: 'its job failed: worker crashed',
    });
    await queue.remove(matchingRunJobId(fresh.run.id));
  });

  it('solves a large instance in a worker thread while the lock is renewed: no stalled job, progress reported', async () => {
    const teams = 10_000;
    const resources = 1_000;
    const hackathonId = await createHackathon(db, ecosystemId, 'large');
    await db.query(
      `INSERT INTO team (hackathon_id, name, invite_code) SELECT $1, 'T' || lpad(g::text, 5, '0'), md5('large' || g) FROM generate_series(1, $2) g`,
      [hackathonId, teams],
    );
    await db.query(
      `INSERT INTO resource (hackathon_id, kind, name, capacity, per_team_max, tags)
       SELECT $1, 'gpu_hours', 'R' || g, 4 + g % 37, 1 + g % 5, ARRAY['t' || (g % 7)] FROM generate_series(1, $2) g`,
      [hackathonId, resources],
    );
    // 20 distinct candidate resources per team (729 = 104729 mod 1000 is coprime with 1000)
    await db.query(
      `INSERT INTO resource_request (hackathon_id, team_id, resource_id, amount, rank, tags)
       SELECT $1, t.id, r.ids[1 + (t.n * 7919 + k * 104729) % $2], 1 + (t.n + k) % 4, k, ARRAY['t' || ((t.n + k) % 7)]
       FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM team WHERE hackathon_id = $1) t
       CROSS JOIN generate_series(1, 20) k
       CROSS JOIN (SELECT array_agg(id ORDER BY name) AS ids FROM resource WHERE hackathon_id = $1) r`,
      [hackathonId, resources],
    );

    // A lock of a few seconds (BullMQ's default is 30 s): short enough that a solve on the job's
    // own event loop at a larger scale would let it lapse, long enough that a loaded CI machine
    // (two cores shared by several Jest workers) does not stall a job that runs as designed.
    const lockDuration = 5000;
    const stalled: string[] = [];
    const progress: number[] = [];
    const worker = new Worker(QueueName.Hackathons, (job) => processor.process(job), workerOptions(lockDuration));
    extraWorkers.push(worker);
    worker.on('stalled', (jobId) => stalled.push(jobId));
    worker.on('progress', (_job, value) => progress.push(value as number));
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const completed = new Promise<Job>((resolve, reject) => {
      worker.on('completed', resolve);
      worker.on('failed', (_job, error) => reject(error));
    });
    const { run } = await runs.start(hackathonId);
    const job = await completed;
    delay.disable();
    await worker.close();

    expect(job.id).toBe(matchingRunJobId(run.id));
    expect(stalled).toEqual([]);
    expect(job.attemptsStarted).toBe(1);
    expect(progress).toEqual([10, 20, 80, 100]);
    const stored = (await db.query(`SELECT status, progress, stats FROM matching_run WHERE id = $1`, [run.id])).rows[0];
    expect(stored).toMatchObject({ status: 'draft', progress: 100, stats: { teams, resources, candidates: teams * 20 } });
    // solved in a worker thread (threadId 0 is the main thread); the longest event-loop delay is
    // printed, not asserted (wall-clock times depend on the machine's load)
    expect(stored.stats.threadId).toBeGreaterThan(0);
    process.stdout.write(`large matching run: solve ${stored.stats.solveMs} ms in the thread, longest event-loop delay ${Math.round(delay.max / 1e6)} ms\n`);
  }, 180_000);
});
