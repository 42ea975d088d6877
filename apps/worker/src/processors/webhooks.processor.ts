import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
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
  private readonly logger = new Logger(WebhooksProcessor.name);

  constructor(
    private readonly deliveries: DeliveryProcessingService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {
    super();
  }

  /** Applies `WEBHOOK_WORKER_CONCURRENCY` (deliveries processed at once in this process). */
  onApplicationBootstrap(): void {
    if (this.worker) this.worker.concurrency = this.config.WEBHOOK_WORKER_CONCURRENCY;
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

  /**
   * A `process-delivery` job failed for good: when BullMQ failed it without running it (a job that
   * stalled more than `maxStalledCount` times, its workers SIGKILLed mid-job, fails with an
   * UnrecoverableError on its next start), its row would stay `received` with its job in the failed
   * list, invisible among failed deliveries; the row is marked `failed` with the reason. Failures of
   * a run that will be retried are left to the retry.
   */
  @OnWorkerEvent('failed')
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || job.name !== JobName.ProcessDelivery) return;
    const final = error?.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!final) return;
    await this.deliveries
      .recordJobFailure((job.data as ProcessDeliveryJobData).deliveryRowId, error?.message ?? 'unknown error')
      .catch((recordError: Error) => this.logger.error(`could not record the failure of job ${job.id}: ${recordError.message}`));
  }
}
