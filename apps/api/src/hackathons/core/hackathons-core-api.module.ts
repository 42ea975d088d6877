import { Module } from '@nestjs/common';
import { HackathonContributionsModule, HackathonsModule } from '#libs/hackathons';
import { HackathonLoadersFactory } from './hackathon-loaders.js';
import { HackathonResolver } from './hackathon.resolver.js';
import { ParticipationResolver } from './participation.resolver.js';
import { HackathonRegistrationResolver, SubmissionResolver } from './submission.resolver.js';
import { TeamMemberResolver, TeamResolver } from './team.resolver.js';

/**
 * GraphQL of the hackathon core: Hackathon, HackathonRegistration, Team, Submission, their queries
 * and admin mutations. Exports {@link HackathonLoadersFactory} for the other hackathon API modules.
 */
@Module({
  imports: [HackathonsModule, HackathonContributionsModule],
  providers: [
    HackathonLoadersFactory,
    HackathonResolver,
    ParticipationResolver,
    TeamResolver,
    TeamMemberResolver,
    SubmissionResolver,
    HackathonRegistrationResolver,
  ],
  exports: [HackathonLoadersFactory, HackathonsModule],
})
export class HackathonsCoreApiModule {}
