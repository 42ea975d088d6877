import type { Job } from 'bullmq';

/**
 * Moves failed job `job` back to waiting with its attempts reset, so it gets all its attempts again.
 * A job that another process moved meanwhile (retried it first, or removed it) is left as it is: what
 * the caller wanted, the job no longer failed, has happened either way.
 * @returns whether this call moved it.
 * @throws the error of BullMQ's retry when the job is still failed after it.
 */
export async function retryFailedJob(job: Job): Promise<boolean> {
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  } catch (error) {
    if ((await job.getState()) === 'failed') throw error;
    return false;
  }
}
