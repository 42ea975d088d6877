import { z } from 'zod';
import type { DigestLocale } from '../digest.types.js';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';

/** The locales a digest can be written in (see {@link DigestLocale}). */
export const PREFERENCE_LOCALES: readonly DigestLocale[] = ['en', 'zh-CN'];

/**
 * The canonical IANA name of a time zone (`asia/shanghai` → `Asia/Shanghai`, `UTC`), as the runtime's
 * ICU data knows it (`Intl.DateTimeFormat`).
 * @throws DigestSendException PREFERENCES_INVALID naming the value when it is no IANA time zone.
 */
export function canonicalTimeZone(value: string): string {
  const name = value.trim();
  // a fixed offset ("+08:00") is accepted by Intl but has no daylight-saving rules: refuse it
  if (!name || /^[+-]/.test(name)) throw invalidTimeZone(value);
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw invalidTimeZone(value);
  }
}

function invalidTimeZone(value: string): DigestSendException {
  return new DigestSendException(
    `"${value}" is not an IANA time zone: use a name such as Europe/Berlin, Asia/Shanghai or UTC`,
    DigestSendExceptionCode.PREFERENCES_INVALID,
  );
}

/**
 * A normalised e-mail address (trimmed; the domain lower-cased), at most 254 characters (RFC 5321).
 * @throws DigestSendException PREFERENCES_INVALID naming the value.
 */
export function normaliseEmailAddress(value: string): string {
  const address = value.trim();
  if (address.length > 254 || !z.email().safeParse(address).success) {
    throw new DigestSendException(`"${value}" is not an e-mail address`, DigestSendExceptionCode.PREFERENCES_INVALID);
  }
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/**
 * A digest locale, or null for "the ecosystem's default".
 * @throws DigestSendException PREFERENCES_INVALID naming the value and the locales there are.
 */
export function parseLocalePreference(value: string | null | undefined): DigestLocale | null {
  if (value === null || value === undefined || value === '') return null;
  const found = PREFERENCE_LOCALES.find((locale) => locale.toLowerCase() === value.trim().toLowerCase());
  if (!found) {
    throw new DigestSendException(
      `"${value}" is not a digest locale: use ${PREFERENCE_LOCALES.join(' or ')} (or none for the ecosystem's default)`,
      DigestSendExceptionCode.PREFERENCES_INVALID,
    );
  }
  return found;
}
