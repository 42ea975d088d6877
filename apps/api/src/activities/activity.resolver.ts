import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { ActivityQueryService, withRepositoryNameWithheld, type ActivityView, type LazyCountPage } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberObject } from '../members/member.type.js';
import { RepositoryObject } from '../repositories/repository.type.js';
import { ActivitiesArgs } from './activities.args.js';
import { ActivityConnectionObject, ActivityObject } from './activity.type.js';
import { Access } from '../graphql/access/access.decorator.js';

@Resolver(() => ActivityObject)
export class ActivityResolver {
  constructor(private readonly activityQueries: ActivityQueryService) {}

  @Access.public()
  @Query(() => ActivityConnectionObject, {
    description:
      'Activities newest first, as a cursor connection. Activities undone later (a removed star) are not listed. ' +
      'Errors: BAD_USER_INPUT (first outside 1–100, a foreign cursor, since not before until, a malformed member or repository), ' +
      'NOT_FOUND (unknown member or repository).',
  })
  activities(@Args() args: ActivitiesArgs) {
    return this.activityQueries.list(args);
  }

  @ResolveField(() => RepositoryObject, {
    description:
      'The repository the activity happened in. For an activity of a deleted member in a repository owned by one of their ' +
      'deleted logins, owner, name and full name are "[erased]" (GitHub\'s id and the counts stay).',
  })
  async repository(@Parent() activity: ActivityObject, @Context() ctx: GqlContext) {
    const repository = await ctx.loaders.repositoryById.load(activity.repositoryId);
    return repository && activity.repositoryOwnerErased ? withRepositoryNameWithheld(repository) : repository;
  }

  @ResolveField(() => MemberObject, { description: 'The member who did it (may be a bot or the deleted-user sentinel).' })
  member(@Parent() activity: ActivityObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(activity.memberId);
  }
}

@Resolver(() => ActivityConnectionObject)
export class ActivityConnectionResolver {
  @ResolveField(() => Int, {
    description: 'Number of activities matching the filter across all pages (counted only when asked for).',
  })
  totalCount(@Parent() connection: LazyCountPage<ActivityView>) {
    return connection.totalCount();
  }
}
