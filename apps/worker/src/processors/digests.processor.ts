import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { DigestPlannerService, DigestSenderService, type DigestPlan, type DigestSendOutcome } from '#libs/digests';
import { digestSends } from '#libs/observability';
import { JobName, QueueName, type SendDigestJobData } from '#libs/queue';

/** A job name the `digests` queue has no handler for (a producer bug, or a newer producer). */
export class UnknownDigestsJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Digests}`);
    this.name = 'UnknownDigestsJobError';
  }
}

/**
 * Jobs at once per worker process. A send is a dozen round trips (Postgres, Redis, SMTP) and a wait for the
 * shared rate limit, not CPU: with 16, two workers reached about 30 digests/s on a loaded 2-core machine, with
 * 64 about 44/s (`npm run bench -- digest-delivery`, BENCH_DIGEST_CONCURRENCY). The SMTP pool and the rate
 * limit bound what reaches the server, whatever this is.
 */
export const DIGESTS_CONCURRENCY = 64;

/**
 * Runs `digests` jobs: the planner ({@link JobName.PlanDigests}, scheduled hourly) and one send per member
 * and ISO week ({@link JobName.SendDigest}). The services re-read state and the ledger refuses a second send,
 * so a job that runs twice sends nothing the second time. A retryable failure is thrown for BullMQ to retry
 * with exponential backoff; on the job's last attempt the ledger records `failed`.
 */
@Processor(QueueName.Digests, { concurrency: DIGESTS_CONCURRENCY })
export class DigestsProcessor extends WorkerHost {
  constructor(
    private readonly planner: DigestPlannerService,
    private readonly sender: DigestSenderService,
  ) {
    super();
  }

  async process(job: Job): Promise<DigestPlan | DigestSendOutcome> {
    switch (job.name) {
      case JobName.PlanDigests:
        return this.planner.planDue(new Date());
      case JobName.SendDigest: {
        const { memberId, week } = job.data as SendDigestJobData;
        const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        try {
          const outcome = await this.sender.send(memberId, week, finalAttempt);
          digestSends.inc({ outcome: outcome.action });
          return outcome;
        } catch (error) {
          // a malformed week is a producer bug: retrying cannot help
          const unrecoverable = error instanceof RangeError;
          digestSends.inc({ outcome: finalAttempt || unrecoverable ? 'failed' : 'retried' });
          if (unrecoverable) throw new UnrecoverableError((error as RangeError).message);
          throw error;
        }
      }
      default:
        throw new UnknownDigestsJobError(job.name);
    }
  }
}
