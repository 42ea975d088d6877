import { setTimeout as sleep } from 'node:timers/promises';
import type { Queue } from 'bullmq';

/**
 * Polls a BullMQ job every 5 ms until it is completed or failed, recording every state it was seen
 * in (so a test can tell a job that was `delayed` on the way from one that never was).
 * @throws Error when it has not finished after `attempts` polls.
 */
export async function followJob(queue: Queue, jobId: string, attempts = 2000): Promise<{ states: Set<string>; state: string }> {
  const states = new Set<string>();
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const state = await queue.getJobState(jobId);
    states.add(state);
    if (state === 'completed' || state === 'failed') return { states, state };
    await sleep(5);
  }
  throw new Error(`job ${jobId} did not finish`);
}
