import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobName, JobSchedulerId, QueueName } from '#libs/queue';

/** How often stored-but-not-enqueued deliveries are looked for (milliseconds). */
export const REQUEUE_STALE_DELIVERIES_EVERY_MS = 60_000;

/**
 * Registers the `webhooks` queue's job scheduler at boot. `upsertJobScheduler` with a stable id
 * means restarts and deploys update the one scheduler instead of adding another (case J1).
 */
@Injectable()
export class WebhooksSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Webhooks) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      JobSchedulerId.RequeueStaleDeliveries,
      { every: REQUEUE_STALE_DELIVERIES_EVERY_MS },
      { name: JobName.RequeueStaleDeliveries, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
  }
}
