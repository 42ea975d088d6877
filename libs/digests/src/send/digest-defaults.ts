import type { DigestLocale } from '../digest.types.js';

/**
 * Where a member's defaults come from when they chose no locale: their ecosystem's (the compose module's
 * defaults service has this shape: `forMembers(ids)` → per member id `{ locale, timeZone }`).
 */
export interface DigestDefaultsLookup {
  forMembers(memberIds: readonly string[]): Promise<Map<string, { locale: DigestLocale }>>;
}

/** Nest token of the {@link DigestDefaultsLookup} the sender uses; null: English for members who chose nothing. */
export const DIGEST_DEFAULTS = Symbol('DIGEST_DEFAULTS');

/** Cambrian's locale for members who chose none, when no ecosystem defaults are known. */
export const FALLBACK_DIGEST_LOCALE: DigestLocale = 'en';
