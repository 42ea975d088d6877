import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { GithubCredentialsModule } from '../credentials/github-credentials.module.js';
import { WebhookDeliveryAdminService } from './webhook-delivery-admin.service.js';
import { WebhookDeliveryLookup } from './webhook-delivery-lookup.service.js';
import { WebhookIngestService } from './webhook-ingest.service.js';

/**
 * The acknowledgement side of webhooks (verify against the environment's and the stored secrets, store, enqueue),
 * stored-delivery lookups and the admins' list and redelivery of stored deliveries, used by apps/api.
 */
@Module({
  imports: [QueueModule, GithubCredentialsModule],
  providers: [WebhookIngestService, WebhookDeliveryLookup, WebhookDeliveryAdminService],
  exports: [WebhookIngestService, WebhookDeliveryLookup, WebhookDeliveryAdminService],
})
export class WebhookIngestModule {}
