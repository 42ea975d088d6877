import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';

/**
 * Polls a BullMQ job every 5 ms until it is completed or failed, recording every state it was seen
 * in (so a test can tell a job that was `delayed` on the way from one that never was).
 * `timeoutMs` is a hang guard, not an expectation: a freshly started worker on a loaded machine has
 * taken over a minute for its first job.
 * @throws Error when it has not finished within `timeoutMs` (default 120 s).
 */
export async function followJob(queue: Queue, jobId: string, timeoutMs = 120_000): Promise<{ states: Set<string>; state: string }> {
  const states = new Set<string>();
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const state = await queue.getJobState(jobId);
    states.add(state);
    if (state === 'completed' || state === 'failed') return { states, state };
    await sleep(5);
  }
  throw new Error(`job ${jobId} did not finish within ${timeoutMs / 1000} s (states seen: ${[...states].join(', ')})`);
}
