import { AuthException, AuthExceptionCode, isAdminViewer } from '#libs/auth';
import { Access } from './access/access.decorator.js';
import type { GqlContext } from './graphql-context.js';

/**
 * Marks a query, mutation or field as admin-only: the same as `@Access.admin()` (an admin API token
 * or an admin's sign-in session; anonymous → UNAUTHENTICATED, anyone else → FORBIDDEN), kept as
 * the short name.
 */
export const AdminOnly = () => Access.admin();

/**
 * The admin check as a function, for code outside a field's rule (e.g. a decision inside a
 * resolver): throws UNAUTHENTICATED for an anonymous viewer and FORBIDDEN for a viewer of another
 * role, naming `what` (an operation or `Type.field`). Prefer `@Access` on the field.
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
