import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { WebhookDeliveryLookup } from '#libs/github';
import { FailedJobsService, JobName, QueueName, type FailedJob, type ProcessDeliveryJobData } from '#libs/queue';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import { FailedJobsArgs, RetryFailedJobArgs } from './failed-jobs.args.js';
import { FailedJobObject, type QueueEnum } from './failed-job.type.js';

/** QueueEnum's values are the queue names (checked in failed-job.type.ts). */
const toQueueName = (queue: QueueEnum) => queue as `${QueueName}` as QueueName;

const ADMIN_ERRORS = 'Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role.';

/** The failed lists of the background queues, for admins: read and retry. */
@Resolver(() => FailedJobObject)
export class FailedJobsResolver {
  constructor(
    private readonly jobs: FailedJobsService,
    private readonly deliveries: WebhookDeliveryLookup,
  ) {}

  @AdminOnly()
  @Query(() => [FailedJobObject], {
    description:
      'Jobs that failed all their attempts (poison input, a bug, a dependency down longer than the retries), the most recently failed first, ' +
      `with the error of their last attempt. Failed webhook delivery jobs are kept a week. BAD_USER_INPUT when \`first\` is outside 1–500. ${ADMIN_ERRORS}`,
  })
  async failedJobs(@Args() { queue, first }: FailedJobsArgs): Promise<FailedJobObject[]> {
    const jobs = await this.jobs.list({ queue: queue ? toQueueName(queue) : undefined, limit: first });
    return this.withDeliveryIds(jobs);
  }

  @AdminOnly()
  @Mutation(() => FailedJobObject, {
    description:
      'Moves a failed job back to its queue with its attempts reset (use once the cause is fixed); returns the job as it was in the failed list. ' +
      'A webhook delivery job processes its stored delivery again (once: a delivery already processed is left alone). ' +
      `NOT_FOUND when the queue holds no such job; CONFLICT when the job is not failed (already retried, waiting, running or done). ${ADMIN_ERRORS}`,
  })
  async retryFailedJob(@Args() { queue, jobId }: RetryFailedJobArgs): Promise<FailedJobObject> {
    const [job] = await this.withDeliveryIds([await this.jobs.retry(toQueueName(queue), jobId)]);
    return job;
  }

  private async withDeliveryIds(jobs: FailedJob[]): Promise<FailedJobObject[]> {
    const rowIdOf = (job: FailedJob) =>
      job.queue === QueueName.Webhooks && job.name === JobName.ProcessDelivery ? String((job.data as Partial<ProcessDeliveryJobData>).deliveryRowId ?? '') : null;
    const rowIds = jobs.map(rowIdOf).filter((id): id is string => !!id);
    const deliveryIds = await this.deliveries.deliveryIdsByRowId(rowIds);
    return jobs.map((job) => {
      const rowId = rowIdOf(job);
      return {
        queue: job.queue as `${QueueEnum}` as QueueEnum,
        jobId: job.jobId,
        name: job.name,
        deliveryId: rowId ? (deliveryIds.get(rowId) ?? null) : null,
        error: job.error,
        attempts: job.attempts,
        maxAttempts: job.maxAttempts,
        failedAt: job.failedAt,
      };
    });
  }
}
