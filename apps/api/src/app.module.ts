import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule } from '#libs/queue';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { HealthModule } from './health/health.module.js';
import { WebhooksHttpModule } from './webhooks/webhooks-http.module.js';

/** apps/api: GraphQL, GitHub webhooks and health, on the Fastify adapter. */
@Module({
  imports: [ConfigModule, DatabaseModule, QueueModule, HealthModule, WebhooksHttpModule, GraphqlApiModule],
})
export class AppModule {}
