import { applyDecorators, Injectable, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthException, AuthExceptionCode, isAdminViewer } from '#libs/auth';
import type { GqlContext } from './graphql-context.js';

/**
 * Lets a resolver run only for a request with a valid admin API token. Without a token the
 * field fails with UNAUTHENTICATED; with a token of another role, FORBIDDEN. (An invalid
 * token never gets here: the context refuses the request with 401.)
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
 * (Nest's `fieldResolverEnhancers` is off): throws UNAUTHENTICATED without a token and
 * FORBIDDEN with a token of another role, naming `what` (an operation or `Type.field`).
 */
export function assertAdminViewer(viewer: GqlContext['viewer'], what: string): void {
  if (!viewer?.tokenId) {
    throw new AuthException(
      `${what} needs an admin API token: send "Authorization: Bearer <token>" (create one with \`cambrian token create --role admin\`)`,
      AuthExceptionCode.UNAUTHENTICATED,
    );
  }
  if (!isAdminViewer(viewer)) throw new AuthException(`${what} needs an API token with the admin role`, AuthExceptionCode.FORBIDDEN);
}
