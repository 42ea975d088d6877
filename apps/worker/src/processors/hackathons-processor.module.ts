import { Module } from '@nestjs/common';
import { MatchingModule } from '#libs/hackathons';
import { QueueModule } from '#libs/queue';
import { HackathonsProcessor } from './hackathons.processor.js';

/** Processor of the `hackathons` queue (matching runs; contribution tracking adds its jobs here). */
@Module({
  imports: [QueueModule, MatchingModule],
  providers: [HackathonsProcessor],
})
export class HackathonsProcessorModule {}
