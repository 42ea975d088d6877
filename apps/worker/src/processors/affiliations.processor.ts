import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { AffiliationRecomputeService, type AffiliationRecomputeResult } from '#libs/members';
import { JobName, QueueName, type RecomputeAffiliationsJobData } from '#libs/queue';

/** A job name the `affiliations` queue has no handler for (a producer bug, or a newer producer). */
export class UnknownAffiliationJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Affiliations}`);
    this.name = 'UnknownAffiliationJobError';
  }
}

/**
 * Runs `affiliations` jobs: {@link JobName.RecomputeAffiliations} recomputes automatic
 * affiliations (profile company, e-mail domains) of the listed members, or of all; manual ones
 * are never touched. Recomputes are idempotent and serialised in Postgres, so a retried or
 * duplicated job is harmless.
 */
@Processor(QueueName.Affiliations)
export class AffiliationsProcessor extends WorkerHost {
  private readonly logger = new Logger(AffiliationsProcessor.name);

  constructor(private readonly recompute: AffiliationRecomputeService) {
    super();
  }

  async process(job: Job): Promise<AffiliationRecomputeResult> {
    switch (job.name) {
      case JobName.RecomputeAffiliations: {
        const data = (job.data ?? {}) as Partial<RecomputeAffiliationsJobData>;
        const result = await this.recompute.recompute({ memberIds: data.memberIds ?? null });
        this.logger.log(
          `affiliations recomputed${data.memberIds ? ` for ${data.memberIds.length} members` : ''}: ${result.inserted} inserted, ` +
            `${result.updated} updated, ${result.deleted} deleted, ${result.total} automatic`,
        );
        return result;
      }
      default:
        throw new UnknownAffiliationJobError(job.name);
    }
  }
}
