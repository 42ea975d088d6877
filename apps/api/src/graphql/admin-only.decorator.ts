import { applyDecorators, Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthException, AuthExceptionCode, isAdminViewer } from '#libs/auth';
import type { GqlContext } from './graphql-context.js';

/**
 * Lets a resolver run only for an admin: a valid admin API token or an admin's sign-in session.
 * Anonymous, the field fails with UNAUTHENTICATED; signed in as a member, FORBIDDEN. (An invalid
 * token or session never gets here: the context refuses the request with 401.)
 */
@Injectable()
export class AdminGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    assertAdminViewer(GqlExecutionContext.create(context).getContext<GqlContext>().viewer, 'This operation');
    return true;
  }
}

/** Marks a query or mutation as admin-only (see {@link AdminGuard}). */
export const AdminOnly = () => applyDecorators(UseGuards(AdminGuard));

/**
 * The admin check of {@link AdminGuard}, also for field resolvers, where guards don't run
 * (Nest's `fieldResolverEnhancers` is off): throws UNAUTHENTICATED for an anonymous viewer and
 * FORBIDDEN for a viewer of another role, naming `what` (an operation or `Type.field`).
 */
export function assertAdminViewer(viewer: GqlContext['viewer'], what: string): void {
  if (!viewer?.role) {
    throw new AuthException(
      `${what} needs an admin API token ("Authorization: Bearer <token>", created with \`cambrian token create --role admin\`) or an admin signed in through GitHub at /auth/github`,
      AuthExceptionCode.UNAUTHENTICATED,
    );
  }
  if (!isAdminViewer(viewer)) {
    throw new AuthException(`${what} needs the admin role (${viewer.tokenId ? 'an API token' : 'a signed-in member'} without it asked)`, AuthExceptionCode.FORBIDDEN);
  }
}
