import { REDACTED_PATHS, scrubSecrets } from '#libs/observability';

/** What a redacted value is replaced by (the logger's censor). */
export const AUDIT_REDACTED = '[redacted]';

/**
 * Key names whose values never reach the audit log: those of the logger's {@link REDACTED_PATHS}
 * (`token`, `secret`, `password`, `email`, ... and their `*.` forms; header paths do not apply to
 * arguments), lower-cased. See {@link isAuditRedactedKey} for how a key is matched.
 */
export const AUDIT_REDACTED_KEYS: ReadonlySet<string> = new Set(
  REDACTED_PATHS.map((path) => path.replace(/^\*\./, ''))
    .filter((key) => /^[A-Za-z_$][\w$]*$/.test(key))
    .map((key) => key.toLowerCase()),
);

/**
 * True when the values under `key` are redacted: the key is one of {@link AUDIT_REDACTED_KEYS} (any
 * case), or ends with one as a camelCase or snake_case word (`webhookSecret`, `github_token`,
 * `appPrivateKey`, `contactEmail`), so an argument named after a secret is covered without its own
 * entry; `tokenId` or `emailConsent` (the word first) are kept.
 */
export function isAuditRedactedKey(key: string): boolean {
  const lower = key.toLowerCase();
  for (const redacted of AUDIT_REDACTED_KEYS) {
    if (lower === redacted) return true;
    if (lower.length <= redacted.length || !lower.endsWith(redacted)) continue;
    const start = key.length - redacted.length;
    const first = key[start];
    if ((first !== first.toLowerCase() && key[start - 1] !== key[start - 1].toUpperCase()) || key[start - 1] === '_' || key[start - 1] === '-') return true;
  }
  return false;
}

/** Longest string kept (characters); longer ones are cut and marked. */
export const AUDIT_MAX_STRING = 4000;
/** Most items kept of an array; the rest are counted in a marker item. */
export const AUDIT_MAX_ITEMS = 200;
/** Deepest nesting kept; deeper values become a marker. */
export const AUDIT_MAX_DEPTH = 8;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * `value` as JSON fit for the audit log: values under a redacted key (see {@link isAuditRedactedKey})
 * become `[redacted]`; every string is scrubbed of e-mail addresses and tokens by the logger's
 * `scrubSecrets`; dates become ISO 8601 UTC strings, bigints decimal strings, buffers a size marker;
 * functions and symbols are left out; cycles, strings over {@link AUDIT_MAX_STRING} characters, arrays
 * over {@link AUDIT_MAX_ITEMS} items and nesting over {@link AUDIT_MAX_DEPTH} are cut with a marker.
 * `undefined` becomes null at the top and is left out inside objects. Never throws for a value a
 * resolver could take or return.
 */
export function redactForAudit(value: unknown): Json {
  return redact(value, 0, new Set());
}

function redact(value: unknown, depth: number, ancestors: Set<object>): Json {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return null;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `[binary, ${value.byteLength} bytes]`;
  if (ancestors.has(value)) return '[circular]';
  if (depth >= AUDIT_MAX_DEPTH) return '[too deep]';
  ancestors.add(value);
  try {
    if (Array.isArray(value) || value instanceof Set) {
      const items = [...value];
      const kept = items.slice(0, AUDIT_MAX_ITEMS).map((item) => redact(item, depth + 1, ancestors));
      return items.length > AUDIT_MAX_ITEMS ? [...kept, `[${items.length - AUDIT_MAX_ITEMS} more items]`] : kept;
    }
    const entries = value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(value);
    const result: { [key: string]: Json } = {};
    for (const [key, item] of entries) {
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      result[key] = isAuditRedactedKey(key) ? AUDIT_REDACTED : redact(item, depth + 1, ancestors);
    }
    return result;
  } finally {
    ancestors.delete(value);
  }
}

// scrubbed before it is cut, so a cut never leaves part of an address or token unmatched
function redactString(value: string): string {
  const scrubbed = scrubSecrets(value);
  if (scrubbed.length <= AUDIT_MAX_STRING) return scrubbed;
  return `${scrubbed.slice(0, AUDIT_MAX_STRING)}[… ${scrubbed.length - AUDIT_MAX_STRING} more characters]`;
}
