import { ReadinessModule } from '#libs/health';
import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DigestComposeModule, DigestDefaultsService } from '#libs/digests';
import { QueueModule } from '#libs/queue';
import { AffiliationsProcessorModule } from './processors/affiliations-processor.module.js';
import { DigestsProcessorModule } from './processors/digests-processor.module.js';
import { GithubSyncProcessorModule } from './processors/github-sync-processor.module.js';
import { HackathonsProcessorModule } from './processors/hackathons-processor.module.js';
import { IdentityProcessorModule } from './processors/identity-processor.module.js';
import { StagesProcessorModule } from './processors/stages-processor.module.js';
import { WebhooksProcessorModule } from './processors/webhooks-processor.module.js';

/** apps/worker: BullMQ processors. Stateless; run as many as needed. */
@Module({
  imports: [ConfigModule, DatabaseModule, QueueModule, ReadinessModule, WebhooksProcessorModule, GithubSyncProcessorModule, AffiliationsProcessorModule, StagesProcessorModule, IdentityProcessorModule, HackathonsProcessorModule, DigestsProcessorModule.register(DigestComposeModule, DigestDefaultsService)],
})
export class WorkerModule {}
