import { Module } from '@nestjs/common';
import { GithubSyncModule } from '#libs/github';
import { GithubSyncProcessor } from './github-sync.processor.js';

/** Processor of the `github-sync` queue. */
@Module({
  imports: [GithubSyncModule],
  providers: [GithubSyncProcessor],
})
export class GithubSyncProcessorModule {}
