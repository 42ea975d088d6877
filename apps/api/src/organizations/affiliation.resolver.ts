import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { viewerActor } from '#libs/auth';
import { AffiliationService, MemberQueryService } from '#libs/members';
import { AdminOnly } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberObject } from '../members/member.type.js';
import { EndAffiliationArgs, RemoveAffiliationArgs, SetAffiliationArgs } from './organization.args.js';
import { OrganizationLoadersFactory } from './organization-loaders.js';
import { AffiliationEvidenceObject, AffiliationObject, OrganizationObject } from './organization.type.js';
import { Access } from '../graphql/access/access.decorator.js';

const ADMIN_ERRORS = 'Needs an admin API token: UNAUTHENTICATED without one, FORBIDDEN with another role.';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const instant = (value: unknown): Date | null => (typeof value === 'string' ? new Date(value) : null);

/** Manual affiliations (admin-only mutations) and the fields of an affiliation. */
@Resolver(() => AffiliationObject)
export class AffiliationResolver {
  constructor(
    private readonly affiliations: AffiliationService,
    private readonly members: MemberQueryService,
    private readonly loaders: OrganizationLoadersFactory,
  ) {}

  @ResolveField(() => OrganizationObject, { description: 'The organisation.' })
  organization(@Parent() affiliation: AffiliationObject, @Context() ctx: GqlContext) {
    return this.loaders.for(ctx).organizationById.load(affiliation.organizationId);
  }

  @ResolveField(() => MemberObject, { description: 'The member.' })
  member(@Parent() affiliation: AffiliationObject, @Context() ctx: GqlContext) {
    return ctx.loaders.memberById.load(affiliation.memberId);
  }

  @Access.adminOrHidden()
  @ResolveField(() => AffiliationEvidenceObject, {
    nullable: true,
    description: 'What it rests on (domains seen, company text, admin note). Admin API tokens only: null otherwise.',
  })
  evidence(@Parent() affiliation: AffiliationObject): AffiliationEvidenceObject | null {
    const evidence = affiliation.evidence ?? {};
    return {
      domains: Array.isArray(evidence.domains) ? evidence.domains.map(String) : null,
      firstSeenAt: instant(evidence.firstSeenAt),
      lastSeenAt: instant(evidence.lastSeenAt),
      activities: typeof evidence.activities === 'number' ? evidence.activities : null,
      company: text(evidence.company),
      note: text(evidence.note),
      setBy: text(evidence.by),
    };
  }

  @AdminOnly()
  @Mutation(() => AffiliationObject, {
    description:
      'Records that a member was with an organisation over [startsAt, endsAt) (source MANUAL); it overrides automatic ' +
      'affiliations for those dates at once. Errors: BAD_USER_INPUT (malformed id, endsAt not after startsAt), ' +
      'NOT_FOUND (member or organisation), CONFLICT (overlaps another manual affiliation of the member: end or remove ' +
      `that one first). ${ADMIN_ERRORS}`,
  })
  async setAffiliation(@Args() args: SetAffiliationArgs, @Context() ctx: GqlContext) {
    const memberId = await this.members.resolveRef(args.member);
    return this.affiliations.setManual({
      memberId,
      organizationId: args.organization,
      startsAt: args.startsAt,
      endsAt: args.endsAt,
      note: args.note,
      by: ctx.viewer.tokenId ?? viewerActor(ctx.viewer),
    });
  }

  @AdminOnly()
  @Mutation(() => AffiliationObject, {
    description:
      'Ends a manual affiliation at endsAt (exclusive). Errors: BAD_USER_INPUT (automatic affiliation, endsAt not after ' +
      `its start), NOT_FOUND, CONFLICT (a later end would overlap another manual affiliation). ${ADMIN_ERRORS}`,
  })
  endAffiliation(@Args() { id, endsAt }: EndAffiliationArgs) {
    return this.affiliations.endManual(id, endsAt);
  }

  @AdminOnly()
  @Mutation(() => AffiliationObject, {
    description:
      'Deletes a manual affiliation and returns it; automatic ones it overrode apply again. Errors: BAD_USER_INPUT ' +
      `(automatic affiliation, malformed id), NOT_FOUND. ${ADMIN_ERRORS}`,
  })
  removeAffiliation(@Args() { id }: RemoveAffiliationArgs) {
    return this.affiliations.removeManual(id);
  }
}
