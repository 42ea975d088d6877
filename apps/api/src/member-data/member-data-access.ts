import { AuthException, AuthExceptionCode, isAdminViewer, type Viewer } from '#libs/auth';
import { IdentityException, IdentityExceptionCode } from '#libs/members';

/** How a viewer may act for a member's data: as an admin, or as that member themself. */
export type MemberDataAccess = 'admin' | 'self';

/**
 * The one access rule of member data export and deletion (kept here so it can move to the roles
 * layer in one place): an admin (API token or admin session) may act for any member; a signed-in
 * member only for themself — their session's member, or any member of its merge chain, compared by
 * `member_root`.
 * @param rootOf the root of a member's merge chain (throws NOT_FOUND for an unknown member).
 * @throws AuthException UNAUTHENTICATED for an anonymous viewer; FORBIDDEN for an API token that is
 *   not an admin's, or a member asking about another member (or an unknown one: existence is not
 *   revealed).
 */
export async function assertMayActForMember(
  viewer: Viewer,
  memberId: string,
  rootOf: (memberId: string) => Promise<string>,
  what: string,
): Promise<MemberDataAccess> {
  if (isAdminViewer(viewer)) return 'admin';
  if (!viewer.role) {
    throw new AuthException(`${what} needs a member signed in through GitHub at /auth/github (for their own data) or an admin`, AuthExceptionCode.UNAUTHENTICATED);
  }
  if (!viewer.memberId) throw new AuthException(`${what} needs the member themself (signed in) or an admin`, AuthExceptionCode.FORBIDDEN);
  const own = await rootOf(viewer.memberId);
  const asked = await rootOf(memberId).catch((error: unknown) => {
    if (error instanceof IdentityException && error.code === IdentityExceptionCode.NOT_FOUND) return null;
    throw error;
  });
  if (asked !== own) throw new AuthException(`${what}: a member may act only for their own data`, AuthExceptionCode.FORBIDDEN);
  return 'self';
}
