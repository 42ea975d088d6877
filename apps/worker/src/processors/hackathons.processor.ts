import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { QueueName } from '#libs/queue';

/** A job name the `hackathons` queue has no handler for (a producer bug, or a newer producer). */
export class UnknownHackathonsJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Hackathons}`);
    this.name = 'UnknownHackathonsJobError';
  }
}

/**
 * Runs `hackathons` jobs (matching runs, contribution tracking). Payloads carry ids only and the
 * services re-read state, so a job that runs twice changes nothing the second time.
 */
@Processor(QueueName.Hackathons)
export class HackathonsProcessor extends WorkerHost {
  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      default:
        throw new UnknownHackathonsJobError(job.name);
    }
  }
}
