import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule } from '#libs/queue';
import { AuthHttpModule } from './auth/auth-http.module.js';
import { DigestsSendApiModule } from './digests/send/digests-send-api.module.js';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsHttpModule } from './metrics-http/metrics-http.module.js';
import { WebhooksHttpModule } from './webhooks/webhooks-http.module.js';

/** apps/api: GraphQL, GitHub webhooks, sign-in, health and metrics, on the Fastify adapter. */
@Module({
  imports: [ConfigModule, DatabaseModule, QueueModule, HealthModule, MetricsHttpModule, WebhooksHttpModule, AuthHttpModule, GraphqlApiModule, DigestsSendApiModule],
})
export class AppModule {}
