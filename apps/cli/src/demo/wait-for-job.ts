import { Job, type Queue } from 'bullmq';

/**
 * Waits for the job `jobId` of `queue` to finish by reading its state every 200 ms, and returns its
 * return value. Not `Job.waitUntilFinished`: its QueueEvents reads the events stream from `$`, so a
 * job that finishes before the first XREAD is sent (a profile sync with nothing due takes
 * milliseconds) leaves it waiting for a notification that already went by.
 * @throws Error naming the job and its failure when it failed; Error naming its last state when it
 * has not finished within `timeoutMs`; Error when the job does not exist.
 */
export async function waitForJob<T>(queue: Queue, jobId: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await Job.fromId(queue, jobId);
    if (!job) throw new Error(`the ${queue.name} job ${jobId} does not exist (removed before it was read)`);
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') {
      // read again: the job read above may predate its finish (no return value or failure yet)
      const finished = (await Job.fromId(queue, jobId)) ?? job;
      if (state === 'failed') throw new Error(`the ${job.name} job ${jobId} failed: ${finished.failedReason}`);
      return finished.returnvalue as T;
    }
    if (Date.now() > deadline) throw new Error(`the ${job.name} job ${jobId} did not finish within ${timeoutMs / 1000} s (it is ${state})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
