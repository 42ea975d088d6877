import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { JobName, JobSchedulerId, QueueName } from '#libs/queue';

/**
 * Registers the digest planner at boot: `upsertJobScheduler` with the stable id
 * {@link JobSchedulerId.DigestPlanner} and the cron pattern DIGEST_SCHEDULE_CRON (UTC; default hourly), so
 * restarts, several workers and a deploy with another pattern keep exactly one scheduler and one delayed
 * run, the old pattern replaced (case J1: bullmq #453, #2889; bull #1003). The planner itself reads each
 * member's local time; the ledger refuses a second digest in an ISO week whatever the schedule does.
 */
@Injectable()
export class DigestsSchedules implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Digests) private readonly queue: Queue,
    @Inject(CAMBRIAN_CONFIG) private readonly config: Pick<CambrianConfig, 'DIGEST_SCHEDULE_CRON'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobSchedulerId.DigestPlanner,
      { pattern: this.config.DIGEST_SCHEDULE_CRON, tz: 'UTC' },
      { name: JobName.PlanDigests, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
