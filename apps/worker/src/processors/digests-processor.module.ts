import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DigestDeliveryModule } from '#libs/digests';
import { QueueModule } from '#libs/queue';
import { DigestsProcessor } from './digests.processor.js';
import { DigestsSchedules } from './digests-schedules.js';

/** Processor of the `digests` queue and its planner's job scheduler. */
@Module({})
export class DigestsProcessorModule {
  /** @param composerModule a module that exports DIGEST_COMPOSER (the digest compose module). */
  static register(composerModule: Type<unknown> | DynamicModule): DynamicModule {
    return {
      module: DigestsProcessorModule,
      imports: [QueueModule, DigestDeliveryModule.register(composerModule)],
      providers: [DigestsProcessor, DigestsSchedules],
    };
  }
}
