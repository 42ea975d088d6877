import { Module } from '@nestjs/common';
import { MergesModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { IdentitySchedules } from './identity-schedules.js';
import { IdentityProcessor } from './identity.processor.js';

/** Processor of the `identity` queue (the merge sweep) and its job scheduler. */
@Module({
  imports: [QueueModule, MergesModule],
  providers: [IdentityProcessor, IdentitySchedules],
})
export class IdentityProcessorModule {}
