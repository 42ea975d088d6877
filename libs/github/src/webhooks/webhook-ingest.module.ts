import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { GithubCredentialsModule } from '../credentials/github-credentials.module.js';
import { WebhookDeliveryLookup } from './webhook-delivery-lookup.service.js';
import { WebhookIngestService } from './webhook-ingest.service.js';

/** The acknowledgement side of webhooks (verify against the environment's and the stored secrets, store, enqueue) and stored-delivery lookups, used by apps/api. */
@Module({
  imports: [QueueModule, GithubCredentialsModule],
  providers: [WebhookIngestService, WebhookDeliveryLookup],
  exports: [WebhookIngestService, WebhookDeliveryLookup],
})
export class WebhookIngestModule {}
