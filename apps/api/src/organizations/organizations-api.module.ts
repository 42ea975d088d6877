import { Module } from '@nestjs/common';
import { MemberQueriesModule, OrganizationsModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { MemberAffiliationsResolver } from '../members/member-affiliations.resolver.js';
import { ActivityOrganizationResolver } from './activity-organization.resolver.js';
import { AffiliationResolver } from './affiliation.resolver.js';
import { OrganizationLoadersFactory } from './organization-loaders.js';
import { OrganizationResolver } from './organization.resolver.js';

/** GraphQL for organisations and affiliations: queries, admin mutations, `Member.affiliations`, `Activity.organization`. */
@Module({
  imports: [OrganizationsModule, MemberQueriesModule, QueueModule],
  providers: [
    OrganizationLoadersFactory,
    OrganizationResolver,
    AffiliationResolver,
    MemberAffiliationsResolver,
    ActivityOrganizationResolver,
  ],
})
export class OrganizationsApiModule {}
