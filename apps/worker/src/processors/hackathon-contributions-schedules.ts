import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, JobSchedulerId, QueueName } from '#libs/queue';

/**
 * How often the contribution sweep runs: a hackathon's eligibility is frozen at most this long
 * after its end (or after it moved to judging without {@link ContributionFreezeTrigger}), and
 * changes after the freeze are recorded at this pace.
 */
export const CONTRIBUTION_SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Registers the `hackathons` queue's contribution sweep at boot
 * ({@link JobName.SweepHackathonContributions}); `upsertJobScheduler` with the stable id
 * {@link JobSchedulerId.HackathonContributionsSweep} keeps one scheduler however many workers boot.
 */
@Injectable()
export class HackathonContributionsSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Hackathons) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobSchedulerId.HackathonContributionsSweep,
      { every: CONTRIBUTION_SWEEP_EVERY_MS },
      { name: JobName.SweepHackathonContributions, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
