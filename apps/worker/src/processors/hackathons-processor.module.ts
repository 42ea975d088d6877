import { Module } from '@nestjs/common';
import { HackathonContributionsModule, MatchingModule } from '#libs/hackathons';
import { QueueModule } from '#libs/queue';
import { HackathonContributionsSchedules } from './hackathon-contributions-schedules.js';
import { HackathonsProcessor } from './hackathons.processor.js';

/** Processor of the `hackathons` queue (matching runs; contribution tracking adds its jobs here). */
@Module({
  imports: [QueueModule, MatchingModule, HackathonContributionsModule],
  providers: [HackathonsProcessor, HackathonContributionsSchedules],
})
export class HackathonsProcessorModule {}
