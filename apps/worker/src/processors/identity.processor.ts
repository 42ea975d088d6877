import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { MergeSuggestionService, type MergeSweepResult } from '#libs/members';
import { JobName, QueueName } from '#libs/queue';

/** A job name the `identity` queue has no handler for. */
export class UnknownIdentityJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Identity}`);
    this.name = 'UnknownIdentityJobError';
  }
}

/**
 * Runs `identity` jobs: the merge sweep ({@link JobName.MergeSweep}, scheduled by
 * `IdentitySchedules`) computes merge suggestions and merges the members that conclusive evidence
 * says are one person. The job carries no payload; running it twice changes nothing the second time.
 */
@Processor(QueueName.Identity)
export class IdentityProcessor extends WorkerHost {
  private readonly logger = new Logger(IdentityProcessor.name);

  constructor(private readonly suggestions: MergeSuggestionService) {
    super();
  }

  async process(job: Job): Promise<MergeSweepResult> {
    switch (job.name) {
      case JobName.MergeSweep: {
        const result = await this.suggestions.sweep();
        if (result.suggested || result.merged) {
          this.logger.log(`merge sweep: ${result.suggested} new suggestions, ${result.merged} merges, ${result.skipped} left to an admin`);
        }
        return result;
      }
      default:
        throw new UnknownIdentityJobError(job.name);
    }
  }
}
