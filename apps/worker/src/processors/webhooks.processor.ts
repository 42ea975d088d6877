import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { DeliveryProcessingService, type DeliveryProcessingResult } from '#libs/github';
import { JobName, QueueName, type ProcessDeliveryJobData } from '#libs/queue';

/** A job name the `webhooks` queue has no handler for (a producer bug, or a newer producer). */
export class UnknownWebhookJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Webhooks}`);
    this.name = 'UnknownWebhookJobError';
  }
}

/** Runs `webhooks` jobs: each normalises one stored delivery (payload: its row id only). */
@Processor(QueueName.Webhooks)
export class WebhooksProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly deliveries: DeliveryProcessingService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {
    super();
  }

  /** Applies `WORKER_CONCURRENCY` (deliveries processed at once in this process). */
  onApplicationBootstrap(): void {
    if (this.worker) this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job): Promise<DeliveryProcessingResult | { retired: true }> {
    switch (job.name) {
      case JobName.ProcessDelivery:
        return this.deliveries.process((job.data as ProcessDeliveryJobData).deliveryRowId, {
          // attemptsMade counts the failed runs before this one
          finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        });
      case JobName.RequeueStaleDeliveries:
        // a run left by the retired scheduler (WebhooksSchedules removes it); the api's relay does this now
        return { retired: true };
      default:
        throw new UnknownWebhookJobError(job.name);
    }
  }
}
