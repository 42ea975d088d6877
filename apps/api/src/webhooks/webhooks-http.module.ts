import { Module } from '@nestjs/common';

/** POST /webhooks/github. */
@Module({})
export class WebhooksHttpModule {}
