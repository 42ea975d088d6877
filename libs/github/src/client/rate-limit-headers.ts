/**
 * Pure readers of GitHub's rate-limit answers (GitHub Docs, REST API, "Rate limits for the REST
 * API" → "Checking the status of your rate limit" and "Handle rate limit errors appropriately").
 *
 * Every duration here is measured on GitHub's clock: a reset instant is compared with the
 * response's own `Date` header, never with the local clock, so a skewed machine neither hammers
 * GitHub (clock behind) nor sleeps for an hour (clock ahead).
 */

/** Response headers as Octokit and fetch give them (names in any case; values strings or numbers). */
export type HeaderBag = Headers | Record<string, string | number | string[] | undefined | null>;

/** The `X-RateLimit-*` state of one response. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  used: number | null;
  /** `X-RateLimit-Reset`: UTC epoch seconds at which the window resets. */
  resetEpochSeconds: number;
  resource: string | null;
}

/** Which limit an answer reports. */
export type RateLimitKind = 'primary' | 'secondary';

/** GitHub's rule without `retry-after`: wait at least one minute (seconds). */
export const SECONDARY_LIMIT_MINIMUM_SECONDS = 60;
/** Longest pause after repeated secondary limits (seconds). */
export const SECONDARY_LIMIT_CAP_SECONDS = 15 * 60;
/** Added to a primary reset wait so the retry lands after the reset (GitHub Docs: "after the reset time"). */
export const RESET_MARGIN_SECONDS = 1;

const SECONDARY_MESSAGE = /\bsecondary rate limit|\babuse detection\b/i;

/** One header's value (first value of a list), case-insensitive; undefined when absent. */
export function headerValue(headers: HeaderBag | undefined | null, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined || value === null) continue;
    return Array.isArray(value) ? value[0] : String(value);
  }
  return undefined;
}

/** An RFC 9110 HTTP-date (`Fri, 10 Jan 2020 21:24:28 GMT`) as UTC epoch milliseconds, or null. */
export function parseHttpDate(value: string | undefined): number | null {
  if (!value || !/[a-z]/i.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function integer(value: string | undefined): number | null {
  if (value === undefined || !/^\s*-?\d+\s*$/.test(value)) return null;
  return Number(value);
}

/** The `X-RateLimit-*` headers, or null when the answer carries none (or a malformed one). */
export function readRateLimit(headers: HeaderBag | undefined | null): RateLimitState | null {
  const limit = integer(headerValue(headers, 'x-ratelimit-limit'));
  const remaining = integer(headerValue(headers, 'x-ratelimit-remaining'));
  const reset = integer(headerValue(headers, 'x-ratelimit-reset'));
  if (limit === null || remaining === null || reset === null) return null;
  return {
    limit,
    remaining,
    used: integer(headerValue(headers, 'x-ratelimit-used')),
    resetEpochSeconds: reset,
    resource: headerValue(headers, 'x-ratelimit-resource') ?? null,
  };
}

/**
 * The response's `Date` (GitHub's clock) in epoch ms; `localNowMs` when the header is absent or
 * malformed (then, and only then, the local clock stands in).
 */
export function serverNowMs(headers: HeaderBag | undefined | null, localNowMs: number): number {
  return parseHttpDate(headerValue(headers, 'date')) ?? localNowMs;
}

/**
 * `Retry-After` in seconds (RFC 9110 §10.2.3: delay-seconds, or an HTTP-date, measured here
 * against the response's `Date`); null when absent or malformed. Never negative.
 */
export function retryAfterSeconds(headers: HeaderBag | undefined | null, localNowMs: number): number | null {
  const raw = headerValue(headers, 'retry-after')?.trim();
  if (!raw) return null;
  const seconds = integer(raw);
  if (seconds !== null) return Math.max(0, seconds);
  const at = parseHttpDate(raw);
  if (at === null) return null;
  return Math.max(0, Math.ceil((at - serverNowMs(headers, localNowMs)) / 1000));
}

/**
 * Seconds until the primary window resets, on GitHub's clock: `X-RateLimit-Reset` minus the
 * response's `Date`, plus {@link RESET_MARGIN_SECONDS}; at least that margin, null without headers.
 */
export function secondsUntilReset(headers: HeaderBag | undefined | null, localNowMs: number): number | null {
  const state = readRateLimit(headers);
  if (!state) return null;
  const untilReset = Math.ceil((state.resetEpochSeconds * 1000 - serverNowMs(headers, localNowMs)) / 1000);
  return Math.max(0, untilReset) + RESET_MARGIN_SECONDS;
}

/**
 * Which limit an answer reports, if any (GitHub Docs, "Exceeding the rate limit"):
 * - `secondary`: 403 or 429 whose message names a secondary rate limit (or the older "abuse
 *   detection"), or any 429 that is not a spent primary budget;
 * - `primary`: 403 or 429 with `x-ratelimit-remaining: 0`;
 * - null for everything else — a 403 "Must have push access" is a permission error even when a
 *   `retry-after` rides along.
 * A 200 with `remaining: 0` is not an error; see {@link pauseForAnswer}.
 */
export function classifyRateLimit(status: number, headers: HeaderBag | undefined | null, message: string | undefined): RateLimitKind | null {
  if (status !== 403 && status !== 429) return null;
  if (message && SECONDARY_MESSAGE.test(message)) return 'secondary';
  if (readRateLimit(headers)?.remaining === 0) return 'primary';
  if (status === 429) return 'secondary';
  return null;
}

/**
 * Pause after the `strike`-th secondary limit in a row (1 = the first), in seconds: `retry-after`
 * when given, else {@link SECONDARY_LIMIT_MINIMUM_SECONDS}; doubled on each repeat, capped at
 * `capSeconds` but never below `retry-after`; always at least one second.
 */
export function secondaryPauseSeconds(retryAfter: number | null, strike: number, capSeconds = SECONDARY_LIMIT_CAP_SECONDS): number {
  const base = Math.max(1, retryAfter ?? SECONDARY_LIMIT_MINIMUM_SECONDS);
  const backoff = Math.min(capSeconds, base * 2 ** Math.max(0, strike - 1));
  return Math.max(base, backoff);
}

/** What an answer asks of the token: a pause of `seconds` (before repeats are counted), or nothing. */
export interface PauseRequest {
  kind: RateLimitKind;
  /** Primary: seconds until the reset (GitHub's clock). Secondary: `retry-after`, or null when absent. */
  seconds: number | null;
}

/**
 * The longest pause one answer may impose (seconds): GitHub's primary window is one hour (GitHub
 * Docs, "Rate limits for the REST API"), and no documented wait is longer. A `retry-after` or reset
 * further off (a misbehaving proxy, a hostile server) would otherwise stop every request of the
 * token for as long as it says; past this cap the next request simply asks again.
 */
export const LONGEST_PAUSE_SECONDS = 3600;

/**
 * The pause one answer asks for, at most {@link LONGEST_PAUSE_SECONDS}: a secondary limit (see {@link classifyRateLimit}); a primary limit
 * answered 403/429; or a successful answer that spent the last request (`remaining: 0`), which
 * pauses before the next request instead of spending a 403 on it. Null otherwise.
 */
export function pauseForAnswer(status: number, headers: HeaderBag | undefined | null, message: string | undefined, localNowMs: number): PauseRequest | null {
  const kind = classifyRateLimit(status, headers, message);
  if (kind === 'secondary') {
    const retryAfter = retryAfterSeconds(headers, localNowMs);
    return { kind, seconds: retryAfter === null ? null : Math.min(LONGEST_PAUSE_SECONDS, retryAfter) };
  }
  if (kind === 'primary' || (status < 400 && readRateLimit(headers)?.remaining === 0)) {
    return { kind: 'primary', seconds: Math.min(LONGEST_PAUSE_SECONDS, secondsUntilReset(headers, localNowMs) ?? SECONDARY_LIMIT_MINIMUM_SECONDS) };
  }
  return null;
}

/** What one answer says about the token's primary budget, for pacing (see `RedisTokenBudget`). */
export interface BudgetReading {
  limit: number;
  remaining: number;
  /** `X-RateLimit-Reset` (UTC epoch seconds): it names the window, so answers of one window can be told apart. */
  resetEpochSeconds: number;
  /** Milliseconds until the reset on GitHub's clock (reset minus the answer's `Date`), never negative. */
  msUntilReset: number;
}

/**
 * The primary `core` budget an answer reports, measured against its `Date` header (GitHub's clock,
 * see {@link serverNowMs}); null when the answer carries no `X-RateLimit-*` headers or reports
 * another resource (`search`, `graphql`... have budgets of their own that the sync does not spend).
 */
export function readBudget(headers: HeaderBag | undefined | null, localNowMs: number): BudgetReading | null {
  const state = readRateLimit(headers);
  if (!state || (state.resource !== null && state.resource !== 'core') || state.limit < 1) return null;
  return {
    limit: state.limit,
    remaining: Math.max(0, state.remaining),
    resetEpochSeconds: state.resetEpochSeconds,
    msUntilReset: Math.max(0, state.resetEpochSeconds * 1000 - serverNowMs(headers, localNowMs)),
  };
}
