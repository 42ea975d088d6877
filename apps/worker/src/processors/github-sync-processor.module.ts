import { Module } from '@nestjs/common';
import { GithubClientModule, GithubSyncModule } from '#libs/github';
import { QueueModule } from '#libs/queue';
import { GithubSyncSchedules } from './github-sync-schedules.js';
import { GithubSyncProcessor } from './github-sync.processor.js';

/**
 * Processor of the `github-sync` queue (GithubClientModule: the token budget that delays
 * rate-limited jobs) and its job scheduler (the periodic reconciliation).
 */
@Module({
  imports: [QueueModule, GithubSyncModule, GithubClientModule],
  providers: [GithubSyncProcessor, GithubSyncSchedules],
})
export class GithubSyncProcessorModule {}
