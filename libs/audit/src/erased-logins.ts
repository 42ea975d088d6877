import type { Json } from './redact-for-audit.js';

/** What an erased member's login is stored as in the audit log (as the erasure scrubs older rows: `erasure_scrub_audit`). */
export const AUDIT_ERASED = '[erased]';

/** A GitHub login as a word of text: 1–39 letters, digits or hyphens, not starting with a hyphen; an optional leading `@`. */
const LOGIN_WORD = /@?([A-Za-z0-9][A-Za-z0-9-]{0,38})/g;

/**
 * `value` with every word of its strings that is one of `erased` (lower-cased logins, compared
 * case-insensitively, with or without `@`) replaced by {@link AUDIT_ERASED}; a word counts only as
 * a whole (`alice` in `alice-bot` is another login and stays). Object keys are kept.
 */
export function scrubErasedLogins<T extends Json>(value: T, erased: ReadonlySet<string>): T {
  if (erased.size === 0) return value;
  const scrub = (item: Json): Json => {
    if (typeof item === 'string') return scrubText(item, erased);
    if (Array.isArray(item)) return item.map(scrub);
    if (item !== null && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, scrub(inner)]));
    return item;
  };
  return scrub(value) as T;
}

/** `text` with its login-shaped words that are in `erased` replaced by {@link AUDIT_ERASED}. */
export function scrubText(text: string, erased: ReadonlySet<string>): string {
  if (erased.size === 0) return text;
  return text.replace(LOGIN_WORD, (word, login: string) => (erased.has(login.toLowerCase()) ? AUDIT_ERASED : word));
}

/**
 * Argument keys whose string values name a member by GitHub login (or id): the API's `member`,
 * `judge`, `into`, `from`, `actingMember`, `confirmLogin`, `memberId`, `login`, `author`.
 */
const MEMBER_REF_KEYS: ReadonlySet<string> = new Set(['member', 'members', 'judge', 'into', 'from', 'actingmember', 'confirmlogin', 'memberid', 'login', 'author']);

/**
 * The member references of a mutation's (redacted) arguments: string values, or strings in arrays,
 * under a key of {@link MEMBER_REF_KEYS} (any case, at any depth), lower-cased, without a leading `@`.
 * An audit row whose member reference is an erased member's login is about that member; a word that
 * merely equals such a login elsewhere (an ecosystem slug) is not.
 */
export function memberRefs(args: Json): string[] {
  const found = new Set<string>();
  const add = (value: Json) => {
    if (typeof value === 'string' && value.trim() !== '') found.add(value.trim().replace(/^@/, '').toLowerCase());
  };
  const visit = (value: Json): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (MEMBER_REF_KEYS.has(key.toLowerCase())) (Array.isArray(inner) ? inner : [inner]).forEach(add);
      visit(inner);
    }
  };
  visit(args);
  return [...found];
}
