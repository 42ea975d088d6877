import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, JobSchedulerId, QueueName, type RecomputeAffiliationsJobData } from '#libs/queue';

/** How often every member's automatic affiliations are recomputed (milliseconds): 6 hours. */
export const RECOMPUTE_AFFILIATIONS_EVERY_MS = 6 * 3600 * 1000;

/**
 * Registers the `affiliations` queue's scheduler at boot: a full recompute of automatic
 * affiliations every {@link RECOMPUTE_AFFILIATIONS_EVERY_MS}, so new commits (new e-mail
 * domains, a job change) and profile companies show up without an admin. The stable id
 * {@link JobSchedulerId.RecomputeAffiliations} keeps one scheduler across restarts (case J1);
 * the first run is one interval after it is created. Organisation changes made through the API
 * enqueue a recompute at once besides.
 */
@Injectable()
export class AffiliationsSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Affiliations) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    const data: RecomputeAffiliationsJobData = { memberIds: null };
    await this.queue.upsertJobScheduler(
      JobSchedulerId.RecomputeAffiliations,
      { every: RECOMPUTE_AFFILIATIONS_EVERY_MS, startDate: Date.now() + RECOMPUTE_AFFILIATIONS_EVERY_MS },
      { name: JobName.RecomputeAffiliations, data, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
