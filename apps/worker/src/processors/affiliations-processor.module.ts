import { Module } from '@nestjs/common';
import { OrganizationsModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { AffiliationsProcessor } from './affiliations.processor.js';
import { AffiliationsSchedules } from './affiliations-schedules.js';

/** Processor of the `affiliations` queue and its periodic full recompute. */
@Module({
  imports: [QueueModule, OrganizationsModule],
  providers: [AffiliationsProcessor, AffiliationsSchedules],
})
export class AffiliationsProcessorModule {}
