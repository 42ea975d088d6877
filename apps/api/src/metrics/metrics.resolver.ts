import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CommunityMetricsService, ItemFlowService } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberObject } from '../members/member.type.js';
import { CommunityMetricsArgs, ItemFlowArgs, NewContributorsArgs } from './metrics.args.js';
import {
  AbsenceFactorContributorObject,
  ChangeRequestClosureRatioObject,
  CommunityMetricsObject,
  ContributorAbsenceFactorObject,
  FlowItemObject,
  ItemFlowObject,
  NewContributorObject,
  NewContributorsObject,
  OrganizationalDiversityObject,
  TimeToFirstResponseObject,
} from './metrics.type.js';
import { Access } from '../graphql/access/access.decorator.js';

const SCOPE_ERRORS =
  'Errors: BAD_USER_INPUT (both repository and ecosystem, a malformed repository, a preset together with bounds, ' +
  'since not before until), NOT_FOUND (unknown repository or ecosystem).';

@Resolver(() => CommunityMetricsObject)
export class CommunityMetricsResolver {
  constructor(private readonly metrics: CommunityMetricsService) {}

  @Access.public()
  @Query(() => CommunityMetricsObject, {
    description: `CHAOSS community metrics of a repository, an ecosystem or everything over a window. ${SCOPE_ERRORS}`,
  })
  async communityMetrics(@Args() args: CommunityMetricsArgs): Promise<CommunityMetricsObject> {
    const scope = await this.metrics.scope(args);
    return {
      scope,
      since: scope.since,
      until: scope.until,
      repositoryIds: scope.repositoryIds?.map(String) ?? null,
    };
  }

  @ResolveField(() => NewContributorsObject, { description: 'New Contributors. Errors: BAD_USER_INPUT (first outside 1–100).' })
  newContributors(@Parent() parent: CommunityMetricsObject, @Args() { first }: NewContributorsArgs) {
    return this.metrics.newContributors(parent.scope, { first });
  }

  @ResolveField(() => TimeToFirstResponseObject, { description: 'Time to First Response of issues and pull requests.' })
  timeToFirstResponse(@Parent() parent: CommunityMetricsObject) {
    return this.metrics.timeToFirstResponse(parent.scope);
  }

  @ResolveField(() => ChangeRequestClosureRatioObject, { description: 'Change Request Closure Ratio.' })
  changeRequestClosureRatio(@Parent() parent: CommunityMetricsObject) {
    return this.metrics.changeRequestClosureRatio(parent.scope);
  }

  @ResolveField(() => ContributorAbsenceFactorObject, { description: 'Contributor Absence Factor (bus factor).' })
  contributorAbsenceFactor(@Parent() parent: CommunityMetricsObject) {
    return this.metrics.contributorAbsenceFactor(parent.scope);
  }

  @ResolveField(() => OrganizationalDiversityObject, {
    description: 'Organizational Diversity: contributions per organisation credited on the date of each.',
  })
  organizationalDiversity(@Parent() parent: CommunityMetricsObject) {
    return this.metrics.organizationalDiversity(parent.scope);
  }
}

@Resolver(() => NewContributorObject)
export class NewContributorResolver {
  @ResolveField(() => MemberObject, { description: 'The person.' })
  member(@Parent() parent: NewContributorObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(parent.memberId);
  }
}

@Resolver(() => AbsenceFactorContributorObject)
export class AbsenceFactorContributorResolver {
  @ResolveField(() => MemberObject, { description: 'The person.' })
  member(@Parent() parent: AbsenceFactorContributorObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(parent.memberId);
  }
}

@Resolver(() => ItemFlowObject)
export class ItemFlowResolver {
  constructor(
    private readonly metrics: CommunityMetricsService,
    private readonly flows: ItemFlowService,
  ) {}

  @Access.public()
  @Query(() => ItemFlowObject, {
    description:
      'Issue and pull request flow: where open items wait (no response, responded, waiting for review, changes requested, ' +
      `approved but not merged) and for how long, now. ${SCOPE_ERRORS} Also BAD_USER_INPUT for first outside 1–100 or a foreign cursor.`,
  })
  async itemFlow(@Args() { repository, ecosystem, ...page }: ItemFlowArgs) {
    const scope = await this.metrics.scope({ repository, ecosystem });
    return this.flows.flow(scope, page);
  }
}

@Resolver(() => FlowItemObject)
export class FlowItemResolver {
  @ResolveField(() => MemberObject, { nullable: true, description: 'Its author; null when unknown.' })
  author(@Parent() item: FlowItemObject, @Context() ctx: GqlContext) {
    return item.authorMemberId ? ctx.loaders.memberById.load(item.authorMemberId) : null;
  }
}

/** Every resolver of the metrics API. */
export const METRICS_RESOLVERS = [
  CommunityMetricsResolver,
  NewContributorResolver,
  AbsenceFactorContributorResolver,
  ItemFlowResolver,
  FlowItemResolver,
];
