import { Writable } from 'node:stream';
import { Queue, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../test/helpers/test-queue-prefix.js';
import { createLogger } from './logger.js';
import { metricsRegistry } from './metrics.js';
import { DeferredRequestContextWorker, instrumentWorker, propagateRequestId, RequestContextWorker, startWorker } from './queue-instrumentation.js';
import { currentRequestContext, runWithRequestContext } from './request-context.js';

const connection = redisConnectionOptions(TEST_REDIS_URL);

describe('request ids through BullMQ jobs (real Redis)', () => {
  const prefix = testQueuePrefix();
  const first = new Queue('obs-first', { connection, prefix });
  const second = new Queue('obs-second', { connection, prefix });
  const workers: RequestContextWorker[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    for (const queue of [first, second]) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('carries the request id from a request into a job, into its processor, and into the jobs it enqueues', async () => {
    propagateRequestId(first);
    propagateRequestId(second);
    const seen: Array<string | undefined> = [];
    const chunks: string[] = [];
    const logger = createLogger({ level: 'info', service: 'cambrian-test', destination: new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(chunk.toString()), cb()) }) });
    const done = new Promise<Job>((resolve) => {
      const upstream = new RequestContextWorker('obs-first', async () => {
        seen.push(currentRequestContext()?.requestId);
        await second.add('follow-up', { step: 2 });
      }, { connection, prefix });
      const downstream = new RequestContextWorker('obs-second', async (job: Job) => {
        seen.push(currentRequestContext()?.requestId);
        resolve(job);
      }, { connection, prefix });
      instrumentWorker(upstream, logger);
      workers.push(upstream, downstream);
    });

    await runWithRequestContext({ requestId: 'req-42' }, () => first.add('start', { step: 1 }));
    await first.add('outside', { step: 0 }); // no request: no id
    const followUp = await done;
    expect(followUp.data).toEqual({ step: 2, requestId: 'req-42' });
    expect(seen.filter((id) => id === 'req-42')).toHaveLength(2); // the processor of each job
    const jobs = await first.getJobs(['completed', 'waiting', 'active']);
    expect(jobs.find((job) => job.name === 'outside')?.data).toEqual({ step: 0 });
    for (let i = 0; i < 100 && !chunks.join('').includes('"requestId":"req-42"'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(chunks.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ msg: 'job completed', queue: 'obs-first', job: 'start', requestId: 'req-42' }));
    const durations = (await metricsRegistry.getSingleMetric('cambrian_job_duration_seconds')!.get()).values;
    expect(durations.some((value) => value.labels.queue === 'obs-first' && value.labels.outcome === 'completed' && (value as { metricName?: string }).metricName?.endsWith('_count'))).toBe(true);
  });

  it('a deferred worker takes no job before it is started, so the jobs waiting at start-up are logged with their request ids', async () => {
    const queue = new Queue('obs-deferred', { connection, prefix });
    const chunks: string[] = [];
    const logger = createLogger({ level: 'info', service: 'cambrian-test', destination: new Writable({ write: (chunk: Buffer, _e, cb) => (chunks.push(chunk.toString()), cb()) }) });
    try {
      await queue.add('waiting-at-start', { step: 1, requestId: 'req-start' });
      const worker = new DeferredRequestContextWorker('obs-deferred', async () => 'done', { connection, prefix });
      workers.push(worker);
      await worker.waitUntilReady();
      expect(worker.isRunning()).toBe(false);
      expect(await queue.getJobCounts('waiting', 'active', 'completed')).toEqual({ waiting: 1, active: 0, completed: 0 });
      instrumentWorker(worker, logger);
      startWorker(worker, logger);
      expect(worker.isRunning()).toBe(true);
      for (let i = 0; i < 100 && !chunks.join('').includes('"requestId":"req-start"'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(chunks.map((line) => JSON.parse(line))).toContainEqual(expect.objectContaining({ msg: 'job completed', queue: 'obs-deferred', requestId: 'req-start' }));
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('hands running jobs back to the queue without counting an attempt', async () => {
    const queue = new Queue('obs-hand-back', { connection, prefix });
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const worker = new RequestContextWorker('obs-hand-back', async () => {
      started();
      await blocked;
    }, { connection, prefix });
    try {
      const job = await queue.add('slow', { step: 1 }, { attempts: 3 });
      await running;
      expect(worker.runningJobs).toBe(1);
      const handed = await worker.handBack(createLogger({ level: 'silent', service: 'cambrian-test' }));
      expect(handed).toEqual([job.id]);
      const state = await queue.getJobState(job.id!);
      expect(['waiting', 'active']).toContain(state); // back in the queue (this worker may take it again at once)
      expect((await queue.getJob(job.id!))!.attemptsMade).toBe(0);
    } finally {
      release();
      await worker.close(true);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it("logs a worker's own errors as structured lines, one per interval with the count left out, and a stalled job", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ level: 'info', service: 'cambrian-test', destination: new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(JSON.parse(chunk.toString())), cb()) }) });
    const logged = async (what: string, check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      if (!check()) throw new Error(`no log line: ${what}`);
    };

    // a Redis nobody answers on: ioredis reconnects again and again, each failure an 'error' event
    const nowhere = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: null, retryStrategy: () => 20 });
    const unreachable = new RequestContextWorker('obs-unreachable', async () => undefined, { connection: nowhere, prefix });
    let errors = 0;
    unreachable.on('error', () => (errors += 1));
    instrumentWorker(unreachable, logger, 60_000);
    try {
      await logged('three connection errors', () => errors >= 3);
      const errorLines = lines.filter((line) => line.msg === 'worker error');
      expect(errorLines).toHaveLength(1);
      expect(errorLines[0]).toMatchObject({ level: 'error', queue: 'obs-unreachable', error: expect.stringMatching(/ECONNREFUSED/), similarErrorsNotLogged: 0 });
    } finally {
      nowhere.disconnect(); // stops the reconnection attempts, so the worker can close
      await unreachable.close(true);
    }

    // a worker that stops renewing its lock mid-job (closed by force, as a killed process would stop)
    const queue = new Queue('obs-stalled', { connection, prefix });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const dying = new RequestContextWorker('obs-stalled', async () => {
      started();
      await new Promise(() => undefined);
    }, { connection, prefix, lockDuration: 1000, stalledInterval: 300 }); // every worker of a queue checks at one interval
    const job = await queue.add('stuck', { step: 1 }, { attempts: 2 });
    await running;
    await dying.close(true);
    const survivor = new RequestContextWorker('obs-stalled', async () => undefined, { connection, prefix, stalledInterval: 300, lockDuration: 1000 });
    instrumentWorker(survivor, logger);
    try {
      await logged('the stalled job', () => lines.some((line) => line.msg?.toString().startsWith('job stalled')));
      expect(lines.find((line) => line.msg?.toString().startsWith('job stalled'))).toMatchObject({ level: 'warn', queue: 'obs-stalled', jobId: job.id });
    } finally {
      await survivor.close(true);
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
