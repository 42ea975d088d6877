import { Module } from '@nestjs/common';
import { GithubClientModule, GithubSyncModule } from '#libs/github';
import { GithubSyncProcessor } from './github-sync.processor.js';

/** Processor of the `github-sync` queue (GithubClientModule: the token budget that delays rate-limited jobs). */
@Module({
  imports: [GithubSyncModule, GithubClientModule],
  providers: [GithubSyncProcessor],
})
export class GithubSyncProcessorModule {}
