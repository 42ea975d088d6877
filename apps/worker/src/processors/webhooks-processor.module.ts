import { Module } from '@nestjs/common';

/** Processor of the `webhooks` queue. */
@Module({})
export class WebhooksProcessorModule {}
