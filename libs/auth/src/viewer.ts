import type { ApiTokenRole, ApiTokenScope } from './api-token.entity.js';
import type { SessionRole } from './session.service.js';

/** Role of whoever asks: an admin (token or signed-in person) or a signed-in member. */
export type ViewerRole = ApiTokenRole | SessionRole;

/**
 * Who is asking: anonymous, the holder of a verified API token, or a person signed in through
 * GitHub (a session cookie). Read models take decisions about personal data from this (e-mail
 * addresses are for admins only).
 */
export interface Viewer {
  /** Id of the verified API token, or null (anonymous or a session). */
  tokenId: string | null;
  /** Role of the token or session, or null for an anonymous request. */
  role: ViewerRole | null;
  /** Scopes of the API token (absent: not a token, or every scope). */
  scopes?: readonly ApiTokenScope[];
  /** Id of the sign-in session, when the request carries a session cookie. */
  sessionId?: string | null;
  /** The signed-in person's own member id (sessions only). */
  memberId?: string | null;
  /** GitHub login of the signed-in person at sign-in (sessions only). */
  githubLogin?: string | null;
}

/** A request without credentials. */
export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ tokenId: null, role: null });

/** True when the viewer is an admin — admin API token or admin session (may see personal data and change configuration). */
export function isAdminViewer(viewer: Viewer | null | undefined): boolean {
  return viewer?.role === 'admin';
}

/** Who made a change, for audit columns: `api-token:<id>`, `member:<id>` for a session, or null when anonymous. */
export function viewerActor(viewer: Viewer | null | undefined): string | null {
  if (viewer?.tokenId) return `api-token:${viewer.tokenId}`;
  if (viewer?.memberId) return `member:${viewer.memberId}`;
  return null;
}
