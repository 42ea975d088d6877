import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { JobSchedulerId, QueueName } from '#libs/queue';

/**
 * The `webhooks` queue has no schedule any more: deliveries stored while Redis was away are
 * enqueued by the api's relay (DeliveryRelayService), which needs no Redis-held scheduler (one
 * that a Redis restart without its data would lose). At boot a worker removes the scheduler that
 * earlier versions registered, so that it stops producing jobs; removing it again is a no-op.
 */
@Injectable()
export class WebhooksSchedules implements OnApplicationBootstrap {
  constructor(@InjectQueue(QueueName.Webhooks) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.removeJobScheduler(JobSchedulerId.RequeueStaleDeliveries);
  }
}
