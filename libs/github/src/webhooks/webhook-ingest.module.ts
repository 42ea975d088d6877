import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { WebhookIngestService } from './webhook-ingest.service.js';

/** The acknowledgement side of webhooks (verify, store, enqueue), used by apps/api. */
@Module({
  imports: [QueueModule],
  providers: [WebhookIngestService],
  exports: [WebhookIngestService],
})
export class WebhookIngestModule {}
