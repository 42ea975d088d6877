import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { QueueEnum } from './failed-job.type.js';

@ArgsType()
export class FailedJobsArgs {
  @Field(() => QueueEnum, { nullable: true, description: 'Only this queue; every queue when absent.' })
  queue?: QueueEnum | null;

  @Field(() => Int, { defaultValue: 50, description: 'Most jobs returned, the most recently failed first (1–500).' })
  first: number;
}

@ArgsType()
export class RetryFailedJobArgs {
  @Field(() => QueueEnum, { description: 'The queue holding the failed job.' })
  queue: QueueEnum;

  @Field(() => ID, { description: 'The job id, as listed by `failedJobs`.' })
  jobId: string;
}
