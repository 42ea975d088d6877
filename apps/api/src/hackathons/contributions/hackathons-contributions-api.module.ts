import { Module } from '@nestjs/common';
import { HackathonContributionsModule } from '#libs/hackathons';
import { ContributionOverrideResolver, HackathonContributionsResolver, TeamContributionsResolver } from './contributions.resolver.js';

/** GraphQL of hackathon contributions: fields of Hackathon and Team, override and freeze mutations. */
@Module({
  imports: [HackathonContributionsModule],
  providers: [HackathonContributionsResolver, TeamContributionsResolver, ContributionOverrideResolver],
})
export class HackathonsContributionsApiModule {}
