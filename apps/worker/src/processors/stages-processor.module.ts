import { Module } from '@nestjs/common';
import { StageOutboxRelay, StagesModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { StagesSchedules } from './stages-schedules.js';
import { StagesProcessor } from './stages.processor.js';

/** Processor of the `stages` queue, its job scheduler (the hourly lapse check) and the relay of the stage evaluation outbox. */
@Module({
  imports: [QueueModule, StagesModule],
  providers: [StagesProcessor, StagesSchedules, StageOutboxRelay],
})
export class StagesProcessorModule {}
