import { Module } from '@nestjs/common';
import { WebhookIngestModule } from '#libs/github';
import { GithubWebhookController } from './github-webhook.controller.js';

/** POST /webhooks/github. */
@Module({
  imports: [WebhookIngestModule],
  controllers: [GithubWebhookController],
})
export class WebhooksHttpModule {}
