import { Context, Field, ID, ObjectType, Query, registerEnumType, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import { AccessGrantService } from '#libs/access';
import type { Viewer } from '#libs/auth';
import { AccessGrantObject } from './access-grant.type.js';
import { toGrantObject } from './access-grant.resolver.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberObject } from '../members/member.type.js';
import { Access } from '../graphql/access/access.decorator.js';

/** How a request is authenticated. */
export enum ViewerKindEnum {
  ANONYMOUS = 'ANONYMOUS',
  API_TOKEN = 'API_TOKEN',
  SESSION = 'SESSION',
}

registerEnumType(ViewerKindEnum, {
  name: 'ViewerKind',
  description: 'How the request is authenticated.',
  valuesMap: {
    ANONYMOUS: { description: 'No credentials: the public.' },
    API_TOKEN: { description: 'An API token (`Authorization: Bearer cmb_…`).' },
    SESSION: { description: 'A person signed in through GitHub (the session cookie).' },
  },
});

/** A role of the viewer. */
export enum ViewerRoleEnum {
  ADMIN = 'ADMIN',
  ORGANIZER = 'ORGANIZER',
  JUDGE = 'JUDGE',
  MEMBER = 'MEMBER',
}

registerEnumType(ViewerRoleEnum, {
  name: 'ViewerRole',
  description: 'A role of the viewer.',
  valuesMap: {
    ADMIN: { description: 'Everything: configuration, personal data, every mutation.' },
    ORGANIZER: { description: 'Manages the hackathons of the ecosystems or the hackathons granted (see `Viewer.grants`).' },
    JUDGE: { description: 'Scores the submissions assigned in the hackathons they judge (see `Viewer.judgedHackathonIds`).' },
    MEMBER: { description: 'A signed-in person acting as their own member: profile, e-mail preferences, registrations, teams, submissions.' },
  },
});

/** Who is signed in. */
@ObjectType('Viewer', { description: 'Who is asking: anonymous, an API token, or a person signed in through GitHub.' })
export class ViewerObject {
  @Field(() => ViewerKindEnum, { description: 'How the request is authenticated.' })
  kind: ViewerKindEnum;

  /** Not a field: the base roles (ADMIN, MEMBER); `roles` adds ORGANIZER and JUDGE. */
  baseRoles: ViewerRoleEnum[];

  @Field(() => String, { nullable: true, description: 'GitHub login of the signed-in person at sign-in; null unless kind is SESSION.' })
  githubLogin: string | null;

  @Access.asParent('Query.viewer (always the asker\'s own session)')
  @Field(() => String, {
    nullable: true,
    description: 'The CSRF token to send in the `x-csrf-token` header with mutations and `POST /auth/sign-out`; null unless kind is SESSION.',
  })
  csrfToken: string | null;

  /** Not a field: the member to load. */
  memberId: string | null;
}

function viewerObject(viewer: Viewer, csrfToken: string | undefined): ViewerObject {
  const session = Boolean(viewer.sessionId);
  const baseRoles: ViewerRoleEnum[] = [];
  if (viewer.role === 'admin') baseRoles.push(ViewerRoleEnum.ADMIN);
  if (session) baseRoles.push(ViewerRoleEnum.MEMBER);
  return {
    kind: session ? ViewerKindEnum.SESSION : viewer.tokenId ? ViewerKindEnum.API_TOKEN : ViewerKindEnum.ANONYMOUS,
    baseRoles,
    githubLogin: viewer.githubLogin ?? null,
    csrfToken: session ? (csrfToken ?? null) : null,
    memberId: viewer.memberId ?? null,
  };
}

/** `viewer`: who is signed in, their member and roles. */
@Resolver(() => ViewerObject)
export class ViewerResolver {
  constructor(private readonly grantService: AccessGrantService) {}

  @Access.public()
  @Query(() => ViewerObject, { description: 'Who is asking: how they are authenticated, their roles and, when signed in, their member.' })
  viewer(@Context() ctx: GqlContext): ViewerObject {
    return viewerObject(ctx.viewer, ctx.csrfToken);
  }

  @Access.asParent("Query.viewer (always the asker's own)")
  @ResolveField(() => [ViewerRoleEnum], {
    description:
      'The roles of the viewer, in the order ADMIN, ORGANIZER, JUDGE, MEMBER; empty for the public. A signed-in admin is ADMIN and ' +
      'MEMBER; a signed-in member with organiser grants in force is ORGANIZER, with judge rows JUDGE. API tokens are ADMIN only.',
  })
  async roles(@Parent() viewer: ViewerObject, @Context() ctx: GqlContext): Promise<ViewerRoleEnum[]> {
    const roles: ViewerRoleEnum[] = viewer.baseRoles.filter((role) => role === ViewerRoleEnum.ADMIN);
    if ((await ctx.access.organizerGrants()).length > 0) roles.push(ViewerRoleEnum.ORGANIZER);
    if ((await ctx.access.judgedHackathons()).size > 0) roles.push(ViewerRoleEnum.JUDGE);
    if (viewer.baseRoles.includes(ViewerRoleEnum.MEMBER)) roles.push(ViewerRoleEnum.MEMBER);
    return roles;
  }

  @Access.asParent("Query.viewer (always the asker's own)")
  @ResolveField(() => [AccessGrantObject], { description: "The signed-in member's organiser grants in force, newest first; empty unless kind is SESSION." })
  async grants(@Context() ctx: GqlContext) {
    const memberId = ctx.access.memberId;
    return memberId ? (await this.grantService.list({ memberId })).map(toGrantObject) : [];
  }

  @Access.asParent("Query.viewer (always the asker's own)")
  @ResolveField(() => [ID], { description: 'Ids of the hackathons the signed-in member judges; empty unless kind is SESSION.' })
  async judgedHackathonIds(@Context() ctx: GqlContext): Promise<string[]> {
    return [...(await ctx.access.judgedHackathons())].sort();
  }

  @ResolveField(() => MemberObject, { nullable: true, description: "The signed-in person's own member; null unless kind is SESSION." })
  member(@Parent() viewer: ViewerObject, @Context() ctx: GqlContext) {
    return viewer.memberId ? ctx.loaders.memberById.load(viewer.memberId) : null;
  }
}
