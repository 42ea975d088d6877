import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JobName, QueueName, type FreezeHackathonContributionsJobData } from '#libs/queue';
import { ContributionFreezeService } from './contribution-freeze.service.js';

/**
 * Requests the freeze of a hackathon's contribution eligibility when it closes early (the
 * organiser moves it from running to judging before its end; the scheduled sweep freezes the
 * others within minutes of their end). With the `hackathons` queue: a
 * {@link JobName.FreezeHackathonContributions} job with the stable id
 * `freeze-contributions-<hackathon id>` (added twice, it runs once); without a queue, or if Redis
 * refuses the job, the freeze runs here and now.
 */
@Injectable()
export class ContributionFreezeTrigger {
  private readonly logger = new Logger('HackathonContributions');
  private queue: Queue | null | undefined;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly freezes: ContributionFreezeService,
  ) {}

  /** Call after a hackathon moved to judging (or finished): freezes its eligibility once. */
  async hackathonClosed(hackathonId: string): Promise<void> {
    const queue = this.hackathonsQueue();
    if (queue) {
      try {
        const data: FreezeHackathonContributionsJobData = { hackathonId };
        await queue.add(JobName.FreezeHackathonContributions, data, {
          jobId: `freeze-contributions-${hackathonId}`,
          attempts: 5,
          backoff: { type: 'exponential', delay: 2000 },
          removeOnComplete: true,
          removeOnFail: 100,
        });
        return;
      } catch (error) {
        this.logger.warn(`could not enqueue the freeze of hackathon ${hackathonId} (${error instanceof Error ? error.message : String(error)}); freezing now`);
      }
    }
    await this.freezes.freeze(hackathonId);
  }

  private hackathonsQueue(): Queue | null {
    if (this.queue !== undefined) return this.queue;
    try {
      this.queue = this.moduleRef.get<Queue>(getQueueToken(QueueName.Hackathons), { strict: false });
    } catch {
      this.queue = null;
    }
    return this.queue;
  }
}
