import { Module } from '@nestjs/common';
import { DeliveryProcessingModule } from '#libs/github';
import { WebhooksProcessor } from './webhooks.processor.js';

/** Processor of the `webhooks` queue. */
@Module({
  imports: [DeliveryProcessingModule],
  providers: [WebhooksProcessor],
})
export class WebhooksProcessorModule {}
