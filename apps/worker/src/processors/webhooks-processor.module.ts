import { Module } from '@nestjs/common';
import { DeliveryProcessingModule, WebhookIngestModule } from '#libs/github';
import { QueueModule } from '#libs/queue';
import { WebhooksProcessor } from './webhooks.processor.js';
import { WebhooksSchedules } from './webhooks-schedules.js';

/** Processor of the `webhooks` queue and its job scheduler. */
@Module({
  imports: [QueueModule, DeliveryProcessingModule, WebhookIngestModule],
  providers: [WebhooksProcessor, WebhooksSchedules],
})
export class WebhooksProcessorModule {}
