import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { DigestDeliveryModule, type DigestDefaultsLookup } from '#libs/digests';
import { QueueModule } from '#libs/queue';
import { DigestsProcessor } from './digests.processor.js';
import { DigestsSchedules } from './digests-schedules.js';

/** Processor of the `digests` queue and its planner's job scheduler. */
@Module({})
export class DigestsProcessorModule {
  /**
   * @param composerModule a module that exports DIGEST_COMPOSER (the digest compose module)
   * @param defaults the class of ecosystem defaults it exports (see DigestDeliveryModule.register)
   */
  static register(composerModule: Type<unknown> | DynamicModule, defaults?: Type<DigestDefaultsLookup>): DynamicModule {
    return {
      module: DigestsProcessorModule,
      imports: [QueueModule, DigestDeliveryModule.register(composerModule, defaults)],
      providers: [DigestsProcessor, DigestsSchedules],
    };
  }
}
