import { getQueueToken } from '@nestjs/bullmq';
import type { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { QueueName } from './queue-names.js';
import { retryFailedJob } from './retry-failed-job.js';

/** A job that failed its last attempt and waits in its queue's failed list (BullMQ state `failed`). */
export interface FailedJob {
  queue: QueueName;
  /** BullMQ job id (unique within its queue). */
  jobId: string;
  /** Job name ({@link JobName}). */
  name: string;
  /** The job's payload (ids only, see STYLE.md, Jobs). */
  data: Record<string, unknown>;
  /** The error of the last attempt (BullMQ `failedReason`). */
  error: string;
  /** Attempts made (BullMQ `attemptsMade`), and attempts allowed (`opts.attempts`, 1 when unset). */
  attempts: number;
  maxAttempts: number;
  /** When the last attempt failed (UTC; BullMQ `finishedOn`). */
  failedAt: Date;
}

/** Why a failed job could not be retried. */
export enum QueueJobExceptionCode {
  /** No job with this id in that queue (never existed, or removed: failed jobs are kept for a limited time). */
  JOB_NOT_FOUND = 'JOB_NOT_FOUND',
  /** The job exists but is not in the failed list (waiting, running, delayed for a retry, or completed). */
  JOB_NOT_FAILED_CONFLICT = 'JOB_NOT_FAILED_CONFLICT',
  /** A listing limit outside 1–{@link MAX_FAILED_JOBS}. */
  INVALID_LIMIT = 'INVALID_LIMIT',
}

/** A refused operation on a queued job; the message names the queue and the job. */
export class QueueJobException extends Error {
  constructor(
    message: string,
    readonly code: QueueJobExceptionCode,
  ) {
    super(message);
    this.name = 'QueueJobException';
  }
}

/** Most failed jobs read per queue for one listing. */
export const MAX_FAILED_JOBS = 500;

/**
 * The failed lists of Cambrian's queues, for admins: what failed after all its attempts (poison
 * input, a bug, a dependency down for longer than the retries), with the error; and the retry of
 * one job once the cause is fixed. A failed job blocks nothing: BullMQ moved it aside and the queue
 * went on. How long failed jobs stay listed is each job's `removeOnFail` (a week for webhook
 * deliveries). Provided by QueueModule.
 */
export class FailedJobsService {
  constructor(private readonly moduleRef: ModuleRef) {}

  /**
   * Failed jobs of `queue` (every queue when absent), most recently failed first, at most `limit`.
   * @throws QueueJobException INVALID_LIMIT unless `limit` is an integer in 1–{@link MAX_FAILED_JOBS}.
   */
  async list(options: { queue?: QueueName; limit: number }): Promise<FailedJob[]> {
    const { limit } = options;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FAILED_JOBS) {
      throw new QueueJobException(`first must be an integer from 1 to ${MAX_FAILED_JOBS} (got ${limit})`, QueueJobExceptionCode.INVALID_LIMIT);
    }
    const names = options.queue ? [options.queue] : Object.values(QueueName);
    const perQueue = await Promise.all(
      names.map(async (name) => {
        // BullMQ keeps the failed list as a sorted set by finish time; asc=false reads the newest first
        const jobs = await this.queue(name).getFailed(0, limit - 1);
        return jobs.filter((job): job is Job => !!job).map((job) => toFailedJob(name, job));
      }),
    );
    return perQueue
      .flat()
      .sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime() || a.jobId.localeCompare(b.jobId))
      .slice(0, limit);
  }

  /**
   * Moves failed job `jobId` of `queue` back to waiting with its attempts reset, so it gets all its
   * attempts again (its processor re-reads the state it works on, so a fixed cause now succeeds).
   * @returns the job as it was in the failed list.
   * @throws QueueJobException JOB_NOT_FOUND when the queue holds no such job; JOB_NOT_FAILED_CONFLICT
   *   when the job is not failed (already retried, running or done).
   */
  async retry(queue: QueueName, jobId: string): Promise<FailedJob> {
    const job = await this.queue(queue).getJob(jobId);
    if (!job) throw new QueueJobException(`No job "${jobId}" in queue ${queue} (failed jobs are kept for a limited time)`, QueueJobExceptionCode.JOB_NOT_FOUND);
    const state = await job.getState();
    if (state !== 'failed') {
      throw new QueueJobException(`Job "${jobId}" of queue ${queue} is ${state}, not failed; only a failed job can be retried`, QueueJobExceptionCode.JOB_NOT_FAILED_CONFLICT);
    }
    const failed = toFailedJob(queue, job);
    if (!(await retryFailedJob(job))) {
      throw new QueueJobException(`Job "${jobId}" of queue ${queue} was retried meanwhile; only a failed job can be retried`, QueueJobExceptionCode.JOB_NOT_FAILED_CONFLICT);
    }
    return failed;
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }
}

function toFailedJob(queue: QueueName, job: Job): FailedJob {
  return {
    queue,
    jobId: String(job.id),
    name: job.name,
    data: (job.data ?? {}) as Record<string, unknown>,
    error: job.failedReason ?? '',
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    failedAt: new Date(job.finishedOn ?? job.timestamp),
  };
}
