import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { QueueName } from '#libs/queue';
import type { SameValues } from '../activities/activity.type.js';

/** Cambrian's BullMQ queues (GraphQL names; the values are the queue names). */
export enum QueueEnum {
  WEBHOOKS = 'webhooks',
  GITHUB_SYNC = 'github-sync',
  IDENTITY = 'identity',
  STAGES = 'stages',
  AFFILIATIONS = 'affiliations',
  HACKATHONS = 'hackathons',
  DIGESTS = 'digests',
}
const _queuesMatch: SameValues<`${QueueEnum}`, `${QueueName}`> = true;

registerEnumType(QueueEnum, {
  name: 'Queue',
  description: "Cambrian's background job queues (BullMQ).",
  valuesMap: {
    WEBHOOKS: { description: 'Processing of stored GitHub webhook deliveries (queue `webhooks`).' },
    GITHUB_SYNC: { description: 'Repository discovery and GitHub REST sync (queue `github-sync`).' },
    IDENTITY: { description: 'Identity resolution: the merge sweep (queue `identity`).' },
    STAGES: { description: 'Member stage evaluation and lapse checks (queue `stages`).' },
    AFFILIATIONS: { description: 'Recomputing automatic affiliations (queue `affiliations`).' },
    HACKATHONS: { description: 'Hackathon matching runs and contribution tracking (queue `hackathons`).' },
    DIGESTS: { description: 'Weekly digests: hourly planning and one send per member and ISO week (queue `digests`).' },
  },
});

@ObjectType('FailedJob', {
  description:
    'A background job that failed all its attempts and waits in its queue\'s failed list; it blocks nothing. Retry it with `retryFailedJob` once the cause is fixed. Admins only.',
})
export class FailedJobObject {
  @Field(() => QueueEnum, { description: 'The queue holding the job.' })
  queue: QueueEnum;

  @Field(() => ID, { description: 'The BullMQ job id, unique within its queue (the argument of `retryFailedJob`).' })
  jobId: string;

  @Field(() => String, { description: 'The job name, e.g. `process-delivery`, `sync-repository`.' })
  name: string;

  @Field(() => String, {
    nullable: true,
    description: 'For a webhook delivery job: the `X-GitHub-Delivery` GUID of the delivery it processes (null for other jobs, or when the delivery row is gone).',
  })
  deliveryId: string | null;

  @Field(() => String, { description: 'The error message of the last attempt.' })
  error: string;

  @Field(() => Int, { description: 'Attempts made (each ended in an error).' })
  attempts: number;

  @Field(() => Int, { description: 'Attempts the job was allowed before it counted as failed.' })
  maxAttempts: number;

  @Field(() => Date, { description: 'When the last attempt failed (UTC).' })
  failedAt: Date;
}
