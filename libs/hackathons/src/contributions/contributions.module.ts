import { Module } from '@nestjs/common';
import { ContributionFreezeService } from './contribution-freeze.service.js';
import { ContributionRetentionService } from './contribution-retention.service.js';
import { ContributionTrackingService } from './contribution-tracking.service.js';

/** Hackathon contribution tracking: eligibility, the freeze at close, changes after it, overrides, retention. */
@Module({
  providers: [ContributionTrackingService, ContributionFreezeService, ContributionRetentionService],
  exports: [ContributionTrackingService, ContributionFreezeService, ContributionRetentionService],
})
export class HackathonContributionsModule {}
