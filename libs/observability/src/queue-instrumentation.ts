import { Worker, type Job, type Processor, type Queue, type WorkerOptions } from 'bullmq';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { jobDuration, jobFailures, metricsRegistry } from './metrics.js';
import { currentRequestContext, runWithRequestContext } from './request-context.js';
import { endStrandedClientOnDisconnect } from './stranded-redis-client.js';

/** Job states whose sizes `cambrian_queue_jobs` reports. */
export const QUEUE_DEPTH_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Job data may carry the id of the request that created the job (see {@link propagateRequestId}). */
export interface RequestIdJobData {
  requestId?: string;
}

function withRequestId<T>(data: T, requestId: string | undefined): T {
  if (!requestId || typeof data !== 'object' || data === null || Array.isArray(data)) return data;
  if ((data as RequestIdJobData).requestId) return data;
  return { ...data, requestId };
}

/**
 * Makes `queue.add` and `queue.addBulk` write the current request id (if any) into the data of
 * the jobs they create, as `requestId`, so the worker's log lines about the job name the request.
 * Jobs added outside a request (schedulers, re-queues) are unchanged. A batch added on behalf of
 * several requests carries the id of the request that flushed it.
 */
export function propagateRequestId(queue: Queue): void {
  const add = queue.add.bind(queue);
  const addBulk = queue.addBulk.bind(queue);
  queue.add = ((name, data, opts) => add(name, withRequestId(data, currentRequestContext()?.requestId), opts)) as Queue['add'];
  queue.addBulk = ((jobs) => {
    const requestId = currentRequestContext()?.requestId;
    return addBulk(jobs.map((job) => ({ ...job, data: withRequestId(job.data, requestId) })));
  }) as Queue['addBulk'];
}

/**
 * Longest wait (ms) for one queue's counts during a scrape: while Redis is away its commands queue up
 * (the connection retries forever), and a scrape must still answer.
 */
const QUEUE_DEPTH_TIMEOUT_MS = 1000;

/** `promise`, or a rejection `no answer within <ms> ms` once `ms` milliseconds pass (for scrape-time reads). */
export function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Registers `cambrian_queue_jobs{queue,state}`: the number of jobs per queue in each of
 * {@link QUEUE_DEPTH_STATES}, read from Redis (BullMQ `getJobCounts`) at every scrape. A queue whose
 * counts cannot be read within a second (Redis away) is left out of that scrape rather than reported
 * as empty.
 */
export function registerQueueDepthGauge(queues: readonly Queue[]): Gauge<'queue' | 'state'> {
  const existing = metricsRegistry.getSingleMetric('cambrian_queue_jobs');
  if (existing) metricsRegistry.removeSingleMetric('cambrian_queue_jobs');
  return new Gauge({
    name: 'cambrian_queue_jobs',
    help: 'BullMQ jobs per queue and state (waiting, active, delayed, failed), read at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [metricsRegistry],
    async collect() {
      this.reset();
      await Promise.all(
        queues.map(async (queue) => {
          try {
            const counts = await withinMs(queue.getJobCounts(...QUEUE_DEPTH_STATES), QUEUE_DEPTH_TIMEOUT_MS);
            for (const state of QUEUE_DEPTH_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
          } catch {
            // Redis unavailable: no figure is better than a wrong zero
          }
        }),
      );
    },
  });
}

function attemptSeconds(job: Job): number {
  return job.processedOn && job.finishedOn ? Math.max(0, job.finishedOn - job.processedOn) / 1000 : 0;
}

/** At most one log line per this many milliseconds for a worker's own errors (see {@link instrumentWorker}). */
export const WORKER_ERROR_LOG_INTERVAL_MS = 30_000;

/**
 * Observes a worker: each finished attempt in `cambrian_job_duration_seconds`, each failed one in
 * `cambrian_job_failures_total`, and one log line per start, completion and failure with `queue`,
 * `job` (name), `jobId`, `attempt` (attempts made before this one finished) and the `requestId`
 * the job data carries; the worker's own errors (at most one line per `errorLogIntervalMs`, with the count
 * of those left out) and stalled jobs (a worker that died or blocked mid-job) as log lines too.
 */
export function instrumentWorker(worker: Worker, logger: Logger, errorLogIntervalMs = WORKER_ERROR_LOG_INTERVAL_MS): void {
  const queue = worker.name;
  // the worker's own errors (Redis connection lost, a lock that could not be renewed): without a listener
  // BullMQ writes them unstructured to stderr. During an outage they repeat at every reconnection attempt,
  // so one line per interval, counting the ones left out.
  let lastErrorAt = Number.NEGATIVE_INFINITY;
  let unlogged = 0;
  worker.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastErrorAt < errorLogIntervalMs) {
      unlogged += 1;
      return;
    }
    logger.error({ queue, error: error.message, similarErrorsNotLogged: unlogged }, 'worker error');
    lastErrorAt = now;
    unlogged = 0;
  });
  worker.on('stalled', (jobId: string) =>
    logger.warn({ queue, jobId }, 'job stalled: its worker stopped renewing the lock (killed or blocked); BullMQ puts it back to run again'),
  );
  const fields = (job: Job) => ({ queue, job: job.name, jobId: job.id, attempt: job.attemptsMade, requestId: (job.data as RequestIdJobData | undefined)?.requestId });
  worker.on('active', (job) => logger.debug(fields(job), 'job started'));
  worker.on('completed', (job) => {
    const seconds = attemptSeconds(job);
    jobDuration.observe({ queue, job: job.name, outcome: 'completed' }, seconds);
    logger.info({ ...fields(job), durationMs: Math.round(seconds * 1000) }, 'job completed');
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const seconds = attemptSeconds(job);
    jobDuration.observe({ queue, job: job.name, outcome: 'failed' }, seconds);
    jobFailures.inc({ queue, job: job.name });
    logger.warn({ ...fields(job), durationMs: Math.round(seconds * 1000), error: error.message, willRetry: job.attemptsMade < (job.opts.attempts ?? 1) }, 'job failed');
  });
}

/** Runs `fn` in the request context whose id job `job` carries, if any. */
export function runInJobContext<T>(job: Job, fn: () => T): T {
  const requestId = (job.data as RequestIdJobData | undefined)?.requestId;
  return requestId ? runWithRequestContext({ requestId }, fn) : fn();
}

/**
 * A BullMQ worker whose processor runs in the request context of the job's `requestId`: the
 * processor's own log lines carry it, and jobs it enqueues on queues wrapped by
 * {@link propagateRequestId} carry it on. It also knows the jobs it is running, so that a shutdown
 * that runs out of time can hand them back ({@link handBack}). Its `close()` does not wait for ever
 * when its blocking or its other connection is between reconnection attempts ({@link endStrandedClientOnDisconnect}).
 * Installed with `BullModule.workerClass`
 * (@nestjs/bullmq's setting for the Worker class its processors use) before the worker's Nest
 * context is created.
 */
export class RequestContextWorker extends Worker {
  private readonly jobsInFlight: Map<string, { job: Job; token?: string }>;

  constructor(name: string, processor?: string | URL | null | Processor, ...rest: unknown[]) {
    const running = new Map<string, { job: Job; token?: string }>();
    const wrapped: typeof processor =
      typeof processor === 'function'
        ? async (job, token, signal) => {
            const key = String(job.id);
            running.set(key, { job, token });
            try {
              return await runInJobContext(job, () => processor(job, token, signal));
            } finally {
              running.delete(key);
            }
          }
        : processor;
    super(name, wrapped, ...(rest as [WorkerOptions]));
    this.jobsInFlight = running;
    // a connection that never becomes ready is BullMQ's to report (its `error` event)
    this.backend.blockingConnection?.client.then(endStrandedClientOnDisconnect, () => undefined);
    this.backend.client.then(endStrandedClientOnDisconnect, () => undefined);
  }

  /** How many jobs this worker's processor is running now. */
  get runningJobs(): number {
    return this.jobsInFlight.size;
  }

  /**
   * Moves every job the processor is running back to `wait` under its lock token (BullMQ
   * `moveToWait`: no attempt is counted), so another worker runs it at once instead of after its lock
   * expires. A job whose lock is already lost is left to BullMQ's stalled-job check. Jobs must be
   * idempotent: the abandoned run may have done part of its work.
   * @returns the ids of the jobs handed back.
   */
  async handBack(logger: Logger): Promise<string[]> {
    const returned: string[] = [];
    for (const [id, { job, token }] of this.jobsInFlight) {
      try {
        await job.moveToWait(token);
        returned.push(id);
        logger.warn({ queue: job.queueName, job: job.name, jobId: id, requestId: (job.data as RequestIdJobData | undefined)?.requestId }, 'job handed back to the queue at shutdown');
      } catch (error) {
        logger.error({ queue: job.queueName, jobId: id, error: (error as Error).message }, 'could not hand back a job at shutdown; it will be retried once its lock expires');
      }
    }
    this.jobsInFlight.clear();
    return returned;
  }
}

/**
 * A {@link RequestContextWorker} that does not take jobs when constructed (BullMQ `autorun: false`):
 * @nestjs/bullmq constructs its workers while the Nest context is being created, before the worker
 * process can attach logging, metrics ({@link instrumentWorker}) and request-id propagation, so a job
 * taken at start-up could complete unlogged and unmeasured. The process calls {@link startWorker}
 * once it has attached them.
 */
export class DeferredRequestContextWorker extends RequestContextWorker {
  constructor(name: string, processor?: string | URL | null | Processor, options?: WorkerOptions, ...rest: unknown[]) {
    super(name, processor, { ...options, autorun: false }, ...rest);
  }
}

/**
 * Starts a worker constructed with `autorun: false` (BullMQ `run()`); the promise `run()` returns
 * settles only when the worker closes, so it is not awaited: an error it ends with is logged.
 */
export function startWorker(worker: Worker, logger: Logger): void {
  if (worker.isRunning()) return;
  worker.run().catch((error: Error) => logger.error({ queue: worker.name, error: error.message }, 'worker stopped on an error'));
}

