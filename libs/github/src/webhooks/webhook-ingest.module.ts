import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { WebhookDeliveryLookup } from './webhook-delivery-lookup.service.js';
import { WebhookIngestService } from './webhook-ingest.service.js';

/** The acknowledgement side of webhooks (verify, store, enqueue) and stored-delivery lookups, used by apps/api. */
@Module({
  imports: [QueueModule],
  providers: [WebhookIngestService, WebhookDeliveryLookup],
  exports: [WebhookIngestService, WebhookDeliveryLookup],
})
export class WebhookIngestModule {}
