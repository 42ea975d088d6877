import { Module } from '@nestjs/common';
import { StagesModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { StagesSchedules } from './stages-schedules.js';
import { StagesProcessor } from './stages.processor.js';

/** Processor of the `stages` queue and its job scheduler (the hourly lapse check). */
@Module({
  imports: [QueueModule, StagesModule],
  providers: [StagesProcessor, StagesSchedules],
})
export class StagesProcessorModule {}
