import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ActivityObject } from '../activities/activity.type.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { OrganizationLoadersFactory } from './organization-loaders.js';
import { OrganizationObject } from './organization.type.js';

/** `Activity.organization` (kept apart from the activity resolver). */
@Resolver(() => ActivityObject)
export class ActivityOrganizationResolver {
  constructor(private readonly loaders: OrganizationLoadersFactory) {}

  @ResolveField(() => OrganizationObject, {
    nullable: true,
    description:
      'The organisation this activity is credited to: the one its member was with at occurredAt (manual affiliations ' +
      'first, then commit e-mail domains, then the GitHub profile); null when none covers that instant.',
  })
  async organization(@Parent() activity: ActivityObject, @Context() ctx: GqlContext) {
    const loaders = this.loaders.for(ctx);
    const organizationId = await loaders.organizationIdByActivityId.load(activity.id);
    return organizationId ? loaders.organizationById.load(organizationId) : null;
  }
}
