import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AccessGrantService, type AccessGrantView } from '#libs/access';
import { viewerActor } from '#libs/auth';
import { MemberQueryService } from '#libs/members';
import { Access } from '../graphql/access/access.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { AccessGrantObject, AccessGrantsArgs, GrantOrganizerArgs, GrantRoleEnum, RevokeAccessGrantArgs } from './access-grant.type.js';

const ADMIN = 'Admins only: UNAUTHENTICATED without credentials, FORBIDDEN otherwise.';

/** The GraphQL shape of a grant. */
export function toGrantObject(grant: AccessGrantView): AccessGrantObject {
  return { ...grant, role: GrantRoleEnum.ORGANIZER };
}

/** Organiser grants (issue 8): admins give, revoke and list them. */
@Resolver(() => AccessGrantObject)
export class AccessGrantResolver {
  constructor(
    private readonly grants: AccessGrantService,
    private readonly members: MemberQueryService,
  ) {}

  @Access.admin()
  @Query(() => [AccessGrantObject], { description: `Organiser grants, newest first. ${ADMIN} Errors: BAD_USER_INPUT, NOT_FOUND (member).` })
  async accessGrants(@Args() { member, includeRevoked }: AccessGrantsArgs) {
    const memberId = member ? await this.members.resolveRef(member) : null;
    return (await this.grants.list({ memberId, includeRevoked: includeRevoked ?? false })).map(toGrantObject);
  }

  @Access.admin()
  @Mutation(() => AccessGrantObject, {
    description:
      'Makes a member an organiser of an ecosystem (every hackathon in it) or of one hackathon. ' +
      `${ADMIN} Errors: BAD_USER_INPUT (both or neither scope; a malformed member), NOT_FOUND (member, ecosystem, hackathon), CONFLICT (held already).`,
  })
  async grantOrganizer(@Args() { member, ecosystem, hackathon }: GrantOrganizerArgs, @Context() ctx: GqlContext) {
    const memberId = await this.members.resolveRef(member);
    return toGrantObject(await this.grants.grantOrganizer(memberId, { ecosystem, hackathon }, viewerActor(ctx.viewer)));
  }

  @Access.admin()
  @Mutation(() => AccessGrantObject, {
    description: `Revokes a grant (kept, with who and when). ${ADMIN} Errors: BAD_USER_INPUT, NOT_FOUND, CONFLICT (revoked already).`,
  })
  async revokeAccessGrant(@Args() { id }: RevokeAccessGrantArgs, @Context() ctx: GqlContext) {
    return toGrantObject(await this.grants.revoke(id, viewerActor(ctx.viewer)));
  }
}
