import { Module } from '@nestjs/common';

/** Processor of the `github-sync` queue. */
@Module({})
export class GithubSyncProcessorModule {}
