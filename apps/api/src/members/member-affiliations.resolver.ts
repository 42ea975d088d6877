import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import type { GqlContext } from '../graphql/graphql-context.js';
import { OrganizationLoadersFactory } from '../organizations/organization-loaders.js';
import { AffiliationObject } from '../organizations/organization.type.js';
import { MemberObject } from './member.type.js';
import { Access } from '../graphql/access/access.decorator.js';

/** `Member.affiliations` (kept apart from the member resolver). */
@Resolver(() => MemberObject)
export class MemberAffiliationsResolver {
  constructor(private readonly loaders: OrganizationLoadersFactory) {}

  @Access.public()
  @ResolveField(() => [AffiliationObject], {
    description:
      "The member's affiliations with organisations, by start (open starts first): manual ones and those derived from " +
      'the GitHub profile and commit e-mail domains. A contribution is credited to the organisation of the affiliation ' +
      'covering its date (manual first, then e-mail domain, then profile).',
  })
  affiliations(@Parent() member: MemberObject, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).affiliationsByMemberId.load(member.id);
  }
}
