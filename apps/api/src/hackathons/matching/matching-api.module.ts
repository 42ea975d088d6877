import { Module } from '@nestjs/common';
import { MatchingModule } from '#libs/hackathons';
import { HackathonMatchingResolver, TeamMatchingResolver } from './hackathon-matching.resolver.js';
import { MatchingLoadersFactory } from './matching-loaders.js';
import { MatchingRunsResolver } from './matching-runs.resolver.js';
import { ResourcesResolver } from './resources.resolver.js';

/** GraphQL of hackathon resource matching: resources, requests, runs, pins, publishing, team notifications; `Hackathon` and `Team` fields. */
@Module({
  imports: [MatchingModule],
  providers: [MatchingLoadersFactory, ResourcesResolver, MatchingRunsResolver, HackathonMatchingResolver, TeamMatchingResolver],
})
export class MatchingApiModule {}
