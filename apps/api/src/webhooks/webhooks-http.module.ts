import { Module } from '@nestjs/common';
import { DeliveryRelayModule, WebhookIngestModule } from '#libs/github';
import { GithubWebhookController } from './github-webhook.controller.js';

/** POST /webhooks/github, and the relay that enqueues deliveries stored while Redis was away. */
@Module({
  imports: [WebhookIngestModule, DeliveryRelayModule],
  controllers: [GithubWebhookController],
})
export class WebhooksHttpModule {}
