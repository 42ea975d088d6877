import type { ApiTokenRole } from './api-token.entity.js';

/**
 * Who is asking: anonymous, or the holder of a verified API token. Read models take
 * decisions about personal data from this (e-mail addresses are for admins only).
 */
export interface Viewer {
  /** Id of the verified API token, or null for an anonymous request. */
  tokenId: string | null;
  /** Role of the token, or null for an anonymous request. */
  role: ApiTokenRole | null;
}

/** A request without credentials. */
export const ANONYMOUS_VIEWER: Viewer = Object.freeze({ tokenId: null, role: null });

/** True when the viewer holds a valid admin token (and may see personal data and change configuration). */
export function isAdminViewer(viewer: Viewer | null | undefined): boolean {
  return viewer?.role === 'admin';
}
