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
    const { viewer } = GqlExecutionContext.create(context).getContext<GqlContext>();
    if (!viewer?.tokenId) {
      throw new AuthException(
        'This operation needs an admin API token: send "Authorization: Bearer <token>" (create one with `cambrian token create --role admin`)',
        AuthExceptionCode.UNAUTHENTICATED,
      );
    }
    if (!isAdminViewer(viewer)) {
      throw new AuthException('This operation needs an API token with the admin role', AuthExceptionCode.FORBIDDEN);
    }
    return true;
  }
}

/** Marks a query or mutation as admin-only (see {@link AdminGuard}). */
export const AdminOnly = () => applyDecorators(UseGuards(AdminGuard));

/**
 * For field resolvers, where guards don't run: throws UNAUTHENTICATED without a token and
 * FORBIDDEN with a token of another role, naming `field`.
 */
export function assertAdminViewer(viewer: GqlContext['viewer'], field: string): void {
  if (!viewer?.tokenId) {
    throw new AuthException(`${field} needs an admin API token: send "Authorization: Bearer <token>"`, AuthExceptionCode.UNAUTHENTICATED);
  }
  if (!isAdminViewer(viewer)) throw new AuthException(`${field} needs an API token with the admin role`, AuthExceptionCode.FORBIDDEN);
}
