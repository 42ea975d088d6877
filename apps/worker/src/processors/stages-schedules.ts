import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, JobSchedulerId, QueueName } from '#libs/queue';

/** How often the lapse check runs: a lapse is dated when its period ended, so an hour late changes no date. */
export const STAGE_LAPSE_CHECK_EVERY_MS = 3_600_000;

/**
 * Registers the `stages` queue's lapse check at boot: every hour a
 * {@link JobName.CheckStageLapses} job stores the LAPSED transitions that came due
 * (`member_stage.lapse_due_at`). `upsertJobScheduler` with the stable id
 * {@link JobSchedulerId.StageLapses} keeps one scheduler however many workers boot.
 */
@Injectable()
export class StagesSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Stages) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobSchedulerId.StageLapses,
      { every: STAGE_LAPSE_CHECK_EVERY_MS },
      { name: JobName.CheckStageLapses, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
