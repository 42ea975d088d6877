import { Module } from '@nestjs/common';
import { DeliveryProcessingModule } from '#libs/github';
import { QueueModule } from '#libs/queue';
import { WebhooksProcessor } from './webhooks.processor.js';
import { WebhooksSchedules } from './webhooks-schedules.js';

/** Processor of the `webhooks` queue (and the removal of its retired scheduler). */
@Module({
  imports: [QueueModule, DeliveryProcessingModule],
  providers: [WebhooksProcessor, WebhooksSchedules],
})
export class WebhooksProcessorModule {}
