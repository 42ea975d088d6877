import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header a cookie-authenticated request that changes something carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * The CSRF token of a session: HMAC-SHA256 of the session secret under `key` (AUTH_SECRET), base64url.
 * A synchronizer token bound to the session without storage (OWASP CSRF Prevention Cheat Sheet, "signed
 * double-submit cookie"): it changes with every session and cannot be computed without the httpOnly cookie.
 */
export function csrfTokenFor(sessionSecret: string, key: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionSecret}`, 'utf8').digest('base64url');
}

/** True when `presented` (the header's value) is the session's CSRF token; compared in constant time. */
export function csrfTokenMatches(sessionSecret: string, key: string, presented: string | string[] | undefined): boolean {
  const value = Array.isArray(presented) ? presented[0] : presented;
  if (!value) return false;
  const expected = Buffer.from(csrfTokenFor(sessionSecret, key), 'utf8');
  const given = Buffer.from(value.trim(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
