import { Module } from '@nestjs/common';
import { ContributionFreezeTrigger } from './contribution-freeze-trigger.js';
import { ContributionFreezeService } from './contribution-freeze.service.js';
import { ContributionRetentionService } from './contribution-retention.service.js';
import { ContributionTrackingService } from './contribution-tracking.service.js';

/** Hackathon contribution tracking: eligibility, the freeze at close, changes after it, overrides, retention. */
@Module({
  providers: [ContributionTrackingService, ContributionFreezeService, ContributionFreezeTrigger, ContributionRetentionService],
  exports: [ContributionTrackingService, ContributionFreezeService, ContributionFreezeTrigger, ContributionRetentionService],
})
export class HackathonContributionsModule {}
