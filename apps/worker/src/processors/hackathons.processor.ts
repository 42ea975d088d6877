import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ContributionFreezeService } from '#libs/hackathons';
import { JobName, QueueName, type FreezeHackathonContributionsJobData } from '#libs/queue';

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
  constructor(private readonly contributionFreezes: ContributionFreezeService) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.FreezeHackathonContributions: {
        // frozen already (a second run, a retry after a crash): record the changes since instead
        const { hackathonId } = job.data as FreezeHackathonContributionsJobData;
        const freeze = await this.contributionFreezes.freeze(hackathonId);
        return freeze.outcome === 'already-frozen' ? { ...freeze, ...(await this.contributionFreezes.reevaluate(hackathonId)) } : freeze;
      }
      case JobName.SweepHackathonContributions:
        return this.contributionFreezes.sweep();
      default:
        throw new UnknownHackathonsJobError(job.name);
    }
  }
}
