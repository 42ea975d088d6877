import { Context, Field, ObjectType, Query, registerEnumType, ResolveField, Resolver, Parent } from '@nestjs/graphql';
import type { Viewer } from '#libs/auth';
import type { GqlContext } from '../graphql/graphql-context.js';
import { MemberObject } from '../members/member.type.js';

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
  MEMBER = 'MEMBER',
}

registerEnumType(ViewerRoleEnum, {
  name: 'ViewerRole',
  description: 'A role of the viewer.',
  valuesMap: {
    ADMIN: { description: 'Everything: configuration, personal data, every mutation.' },
    MEMBER: { description: 'A signed-in person acting as their own member.' },
  },
});

/** Who is signed in. */
@ObjectType('Viewer', { description: 'Who is asking: anonymous, an API token, or a person signed in through GitHub.' })
export class ViewerObject {
  @Field(() => ViewerKindEnum, { description: 'How the request is authenticated.' })
  kind: ViewerKindEnum;

  @Field(() => [ViewerRoleEnum], { description: 'The roles of the viewer; empty for the public. A signed-in admin is ADMIN and MEMBER.' })
  roles: ViewerRoleEnum[];

  @Field(() => String, { nullable: true, description: 'GitHub login of the signed-in person at sign-in; null unless kind is SESSION.' })
  githubLogin: string | null;

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
  const roles: ViewerRoleEnum[] = [];
  if (viewer.role === 'admin') roles.push(ViewerRoleEnum.ADMIN);
  if (session) roles.push(ViewerRoleEnum.MEMBER);
  return {
    kind: session ? ViewerKindEnum.SESSION : viewer.tokenId ? ViewerKindEnum.API_TOKEN : ViewerKindEnum.ANONYMOUS,
    roles,
    githubLogin: viewer.githubLogin ?? null,
    csrfToken: session ? (csrfToken ?? null) : null,
    memberId: viewer.memberId ?? null,
  };
}

/** `viewer`: who is signed in, their member and roles. */
@Resolver(() => ViewerObject)
export class ViewerResolver {
  @Query(() => ViewerObject, { description: 'Who is asking: how they are authenticated, their roles and, when signed in, their member.' })
  viewer(@Context() ctx: GqlContext): ViewerObject {
    return viewerObject(ctx.viewer, ctx.csrfToken);
  }

  @ResolveField(() => MemberObject, { nullable: true, description: "The signed-in person's own member; null unless kind is SESSION." })
  member(@Parent() viewer: ViewerObject, @Context() ctx: GqlContext) {
    return viewer.memberId ? ctx.loaders.memberById.load(viewer.memberId) : null;
  }
}
