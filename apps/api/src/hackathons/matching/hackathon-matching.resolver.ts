import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { MatchingReviewService, MatchingRunService, ResourceService } from '#libs/hackathons';
import type { GqlContext } from '../../graphql/graphql-context.js';
import { HackathonType } from '../core/hackathon.type.js';
import { TeamType } from '../core/team.type.js';
import { MatchingLoadersFactory } from './matching-loaders.js';
import { AllocationObject, MatchingRunObject, ResourceObject, ResourceRequestObject, TeamNotificationObject } from './matching.types.js';
import { HackathonRules } from '../hackathon-access.rules.js';
import { Access } from '../../graphql/access/access.decorator.js';


/** Matching fields of `Hackathon`: resources, runs (organisers), the published run. */
@Resolver(() => HackathonType)
export class HackathonMatchingResolver {
  constructor(
    private readonly resourceService: ResourceService,
    private readonly runs: MatchingRunService,
  ) {}

  @ResolveField(() => [ResourceObject], { description: 'Resources sponsors offer (GPU hours, API credits, datasets, mentors), by kind then name.' })
  resources(@Parent() hackathon: HackathonType) {
    return this.resourceService.list(hackathon.id);
  }

  @Access(HackathonRules.organizerOfParent)
  @ResolveField(() => [MatchingRunObject], { description: 'The last 20 matching runs, newest first. Admins and organisers of the hackathon.' })
  matchingRuns(@Parent() hackathon: HackathonType) {
    return this.runs.list(hackathon.id);
  }

  @ResolveField(() => MatchingRunObject, { nullable: true, description: 'The published matching run (allocations teams were told of), or null.' })
  publishedMatchingRun(@Parent() hackathon: HackathonType) {
    return this.runs.published(hackathon.id);
  }
}

/** Matching fields of `Team`: its requests, its published allocations, its notifications (its members, organisers). */
@Resolver(() => TeamType)
export class TeamMatchingResolver {
  constructor(
    private readonly loaders: MatchingLoadersFactory,
    private readonly review: MatchingReviewService,
  ) {}

  @ResolveField(() => [ResourceRequestObject], { description: "The team's resource requests, by rank." })
  resourceRequests(@Parent() team: TeamType, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).requestsByTeamId.load(team.id);
  }

  @ResolveField(() => [AllocationObject], { description: "What the hackathon's published matching run gives the team (empty before publication)." })
  allocations(@Parent() team: TeamType, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).publishedAllocationsByTeamId.load(team.id);
  }

  @Access(HackathonRules.teamNotifications)
  @ResolveField(() => [TeamNotificationObject], { description: 'What the team was told (one notification per published run), newest first. Its members, and admins and organisers of the hackathon.' })
  notifications(@Parent() team: TeamType) {
    return this.review.notifications(team.id);
  }
}
