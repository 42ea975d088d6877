/**
 * Injected failures for tests:
 * - `secondary-rate-limit`: 403 (or 429) with GitHub's secondary-rate-limit message, `retry-after` when given;
 * - `server-error`: a 5xx (default 502);
 * - `delay`: wait `delayMs`, then serve normally;
 * - `client-error`: a 4xx with GitHub's error body (`status` 400–499, default 401 "Bad credentials";
 *   `message` to change it: a revoked token, a deleted repository's 404);
 * - `malformed-json`: the normal answer (status, ETag, `Link`) with its JSON body cut in half;
 * - `foreign-link`: the normal answer with its `Link` URLs moved to `foreignOrigin`
 *   (default `http://foreign.invalid`), as a hostile or misconfigured proxy would send them;
 * - `item-fields`: the normal answer with each item of its JSON array (or the object) changed:
 *   top-level keys of `set` assigned (`{"user": null}`), keys in `unset` removed (`["merged_at"]`);
 * - `duplicate-item`: the normal answer with the first item of its JSON array repeated at its end;
 * - `link-loop`: the normal answer whose `Link: rel="next"` points back to the page itself (added
 *   when the page has none).
 */
export type FaultKind = 'secondary-rate-limit' | 'server-error' | 'delay' | 'client-error' | 'malformed-json' | 'foreign-link' | 'item-fields' | 'duplicate-item' | 'link-loop';

/** Faults that change a normal answer after the route served it (rather than replacing it). */
export const RESPONSE_FAULTS: ReadonlySet<FaultKind> = new Set(['malformed-json', 'foreign-link', 'item-fields', 'duplicate-item', 'link-loop']);

/** A fault rule as given by code or `POST /_sim/faults`. */
export interface FaultRuleInput {
  kind: FaultKind;
  /** How many matching requests this rule affects (default 1). */
  count?: number;
  /** Only requests whose path starts with this prefix (e.g. `/repos/BlinkDL/RWKV-LM/commits`). */
  pathPrefix?: string;
  /** secondary-rate-limit: seconds for the `retry-after` header; absent → no header. */
  retryAfterSeconds?: number;
  /** secondary-rate-limit: 403 (default) or 429; server-error: 500–599 (default 502). */
  status?: number;
  /** delay: milliseconds to wait, then serve; secondary-rate-limit and server-error: wait this long before answering (default 0). */
  delayMs?: number;
  /** client-error: the error body's message (default: GitHub's text for the status). */
  message?: string;
  /** foreign-link: the origin the `Link` URLs are moved to (default `http://foreign.invalid`). */
  foreignOrigin?: string;
  /** item-fields: top-level fields assigned on every item. */
  set?: Record<string, unknown>;
  /** item-fields: top-level fields removed from every item. */
  unset?: string[];
}

/** A validated rule with defaults filled in; `count` is what is left. */
export interface FaultRule extends Required<Pick<FaultRuleInput, 'kind' | 'count'>> {
  pathPrefix?: string;
  retryAfterSeconds?: number;
  status: number;
  delayMs: number;
  message?: string;
  foreignOrigin?: string;
  set?: Record<string, unknown>;
  unset?: string[];
}

/** Validates one rule (from code or the admin route); throws RangeError with a readable message. */
export function normalizeFaultRule(input: FaultRuleInput): FaultRule {
  const kinds: FaultKind[] = ['secondary-rate-limit', 'server-error', 'delay', 'client-error', 'malformed-json', 'foreign-link', 'item-fields', 'duplicate-item', 'link-loop'];
  if (!kinds.includes(input.kind)) throw new RangeError(`kind must be one of ${kinds.join(', ')}`);
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
  const defaults: Record<FaultKind, number> = {
    'server-error': 502,
    'secondary-rate-limit': 403,
    'client-error': 401,
    delay: 200,
    'malformed-json': 200,
    'foreign-link': 200,
    'item-fields': 200,
    'duplicate-item': 200,
    'link-loop': 200,
  };
  const status = input.status ?? defaults[input.kind];
  if (input.kind === 'secondary-rate-limit' && status !== 403 && status !== 429) throw new RangeError('secondary-rate-limit status must be 403 or 429');
  if (input.kind === 'server-error' && (status < 500 || status > 599)) throw new RangeError('server-error status must be 5xx');
  if (input.kind === 'client-error' && (status < 400 || status > 499)) throw new RangeError('client-error status must be 4xx');
  if (input.foreignOrigin !== undefined && !URL.canParse(input.foreignOrigin)) throw new RangeError('foreignOrigin must be an absolute URL');
  if (input.set !== undefined && (typeof input.set !== 'object' || input.set === null || Array.isArray(input.set))) throw new RangeError('set must be an object');
  if (input.unset !== undefined && (!Array.isArray(input.unset) || input.unset.some((key) => typeof key !== 'string'))) {
    throw new RangeError('unset must be an array of field names');
  }
  if (input.retryAfterSeconds !== undefined && (!Number.isInteger(input.retryAfterSeconds) || input.retryAfterSeconds < 0)) {
    throw new RangeError('retryAfterSeconds must be a non-negative integer');
  }
  const delayMs = input.delayMs ?? 0;
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError('delayMs must be >= 0');
  return {
    kind: input.kind,
    count,
    pathPrefix: input.pathPrefix,
    retryAfterSeconds: input.retryAfterSeconds,
    status,
    delayMs,
    ...(input.message !== undefined ? { message: input.message } : {}),
    ...(input.kind === 'foreign-link' ? { foreignOrigin: input.foreignOrigin ?? 'http://foreign.invalid' } : {}),
    ...(input.kind === 'item-fields' ? { set: input.set ?? {}, unset: input.unset ?? [] } : {}),
  };
}

/** A queue of fault rules; the first rule matching a path is used and counts down; spent rules drop out. */
export class FaultInjector {
  private rules: FaultRule[] = [];

  add(input: FaultRuleInput): FaultRule {
    const rule = normalizeFaultRule(input);
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The fault for a request to `path` (no query string), or null; decrements the rule's count. */
  take(path: string): FaultRule | null {
    const index = this.rules.findIndex((r) => r.pathPrefix === undefined || path.startsWith(r.pathPrefix));
    if (index < 0) return null;
    const rule = this.rules[index];
    rule.count--;
    if (rule.count <= 0) this.rules.splice(index, 1);
    return { ...rule };
  }
}
