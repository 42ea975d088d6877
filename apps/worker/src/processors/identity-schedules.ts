import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { JobName, JobSchedulerId, QueueName } from '#libs/queue';

/**
 * Registers the merge sweep's job scheduler at boot: every `MEMBER_MERGE_SWEEP_EVERY_SECONDS`
 * seconds a {@link JobName.MergeSweep} job runs, so that a person seen from git history and from
 * GitHub becomes one member within a bounded interval once ingestion settles (case I4: a sweep
 * that exists but is never scheduled merges nothing). The stable id {@link JobSchedulerId.MergeSweep}
 * means restarts and deploys update the one scheduler instead of adding another.
 */
@Injectable()
export class IdentitySchedules implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Identity) private readonly queue: Queue,
    @Inject(CAMBRIAN_CONFIG) private readonly config: Pick<CambrianConfig, 'MEMBER_MERGE_SWEEP_EVERY_SECONDS'>,
  ) {}

  /** Upserts the scheduler; its first run is right away (a boot settles what ingestion left), then every interval. */
  async onApplicationBootstrap(): Promise<void> {
    const everyMs = this.config.MEMBER_MERGE_SWEEP_EVERY_SECONDS * 1000;
    await this.queue.upsertJobScheduler(
      JobSchedulerId.MergeSweep,
      { every: everyMs },
      { name: JobName.MergeSweep, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
