import { Module } from '@nestjs/common';
import { DeliveryProcessingModule, WebhookIngestModule } from '#libs/github';
import { WebhooksProcessor } from './webhooks.processor.js';
import { WebhooksSchedules } from './webhooks-schedules.js';

/** Processor of the `webhooks` queue and its job scheduler. */
@Module({
  imports: [DeliveryProcessingModule, WebhookIngestModule],
  providers: [WebhooksProcessor, WebhooksSchedules],
})
export class WebhooksProcessorModule {}
