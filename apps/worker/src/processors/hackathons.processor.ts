import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { ContributionFreezeService, MatchingRunService, type MatchingRunExecution } from '#libs/hackathons';
import { JobName, QueueName, type FreezeHackathonContributionsJobData, type SolveMatchingRunJobData } from '#libs/queue';

/** A job name the `hackathons` queue has no handler for (a producer bug, or a newer producer). */
export class UnknownHackathonsJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Hackathons}`);
    this.name = 'UnknownHackathonsJobError';
  }
}

/**
 * Jobs at once per worker process: a matching run waits on its worker thread, so contribution
 * jobs and other hackathons' runs need not queue behind a long solve.
 */
export const HACKATHONS_CONCURRENCY = 4;

/**
 * Runs `hackathons` jobs. Payloads carry ids only and the services re-read state, so a job that
 * runs twice changes nothing the second time. A matching run is solved in a worker thread (the
 * event loop stays free, so BullMQ keeps renewing the job's lock); its progress is reported with
 * `job.updateProgress` and stored on the run. On its last attempt a failed run is marked failed.
 */
@Processor(QueueName.Hackathons, { concurrency: HACKATHONS_CONCURRENCY })
export class HackathonsProcessor extends WorkerHost {
  constructor(
    private readonly contributionFreezes: ContributionFreezeService,
    private readonly runs: MatchingRunService,
  ) {
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
      case JobName.SolveMatchingRun:
        return this.solveMatchingRun(job as Job<SolveMatchingRunJobData>);
      default:
        throw new UnknownHackathonsJobError(job.name);
    }
  }

  private async solveMatchingRun(job: Job<SolveMatchingRunJobData>): Promise<MatchingRunExecution> {
    try {
      return await this.runs.execute(job.data.runId, (percent) => job.updateProgress(percent));
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await this.runs.markFailed(job.data.runId, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }
}
