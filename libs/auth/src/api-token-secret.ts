import { createHash, randomBytes } from 'node:crypto';

/** Prefix of every Cambrian API token, so a leaked one is recognisable (secret scanners, logs). */
export const API_TOKEN_PREFIX = 'cmb_';

/** `cmb_` followed by 32 random bytes in base64url (43 characters, no padding). */
const TOKEN_PATTERN = /^cmb_[A-Za-z0-9_-]{43}$/;

/** A new random secret: `cmb_` + 32 bytes from the CSPRNG, base64url (RFC 4648 §5). */
export function generateApiTokenSecret(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** True when `value` has the shape of a Cambrian API token (it says nothing about validity). */
export function looksLikeApiToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/**
 * The SHA-256 of a secret, hex-encoded: the only form in which a token is stored. A fast
 * hash is enough because the secret has 256 bits of entropy (no dictionary to guess from).
 */
export function hashApiTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** What an `Authorization` header carries. */
export type BearerCredentials =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'malformed'; reason: string };

/**
 * Reads `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive).
 * An absent or empty header is `none`; any other scheme or an empty token is `malformed`.
 */
export function parseBearerHeader(header: string | string[] | undefined): BearerCredentials {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return { kind: 'none' };
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) return { kind: 'malformed', reason: 'expected "Authorization: Bearer <token>"' };
  return { kind: 'bearer', token: match[1] };
}
