import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { MemberQueryService } from '#libs/members';
import { ActivityObject } from '../activities/activity.type.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberArgs, MembersArgs, RecentActivitiesArgs } from './members.args.js';
import { IdentityObject, MemberConnectionObject, MemberObject } from './member.type.js';
import { Access } from '../graphql/access/access.decorator.js';

@Resolver(() => MemberObject)
export class MemberResolver {
  constructor(private readonly memberQueries: MemberQueryService) {}

  @Access.public()
  @Query(() => MemberConnectionObject, {
    description:
      'Members ranked by their activities matching the filter, as a cursor connection. Persons only unless ' +
      '`filter.kinds` asks for bots or the deleted-user sentinel; `filter.stage` (with `filter.ecosystem`), ' +
      '`filter.organization` and `filter.nonPayingOnly` narrow the members. Errors: BAD_USER_INPUT (first outside 1–100, ' +
      'a foreign cursor, since not before until, a malformed repository or organisation id, a stage without an ecosystem), ' +
      'NOT_FOUND (unknown repository, ecosystem or organisation).',
  })
  members(@Args() { orderBy: _orderBy, ...args }: MembersArgs) {
    return this.memberQueries.list(args);
  }

  @Access.public()
  @Query(() => MemberObject, {
    nullable: true,
    description:
      'One member by id or by current GitHub login (case-insensitive); null when there is none. ' +
      'Errors: BAD_USER_INPUT unless exactly one of id and login is given, or for a malformed id.',
  })
  member(@Args() args: MemberArgs) {
    return this.memberQueries.find(args);
  }

  @Access.public()
  @ResolveField(() => [IdentityObject], {
    description:
      'GitHub accounts first, then e-mail addresses. E-mail identities are personal data: without an admin API ' +
      'token they are left out (and `email` is never filled).',
  })
  identities(@Parent() member: MemberObject, @Context() ctx: GqlContext) {
    return ctx.loaders.identitiesByMemberId.load(member.id);
  }

  @ResolveField(() => [ActivityObject], {
    description: "The member's newest activities (undone ones left out), newest first.",
  })
  recentActivities(@Parent() member: MemberObject, @Args() { first }: RecentActivitiesArgs, @Context() ctx: GqlContext) {
    return ctx.loaders.recentActivitiesByMemberId(first).load(member.id);
  }
}
