import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { thirdPartyDataDir } from '../../../../apps/github-sim/src/testing/sim-data.js';
import { parseLinkHeader, relativeToBase } from './link-header.js';
import {
  classifyRateLimit,
  headerValue,
  pauseForAnswer,
  readBudget,
  readRateLimit,
  retryAfterSeconds,
  secondaryPauseSeconds,
  secondsUntilReset,
} from './rate-limit-headers.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('readBudget', () => {
  const budget = (extra: Record<string, string>) => ({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '1200', 'x-ratelimit-reset': String(NOW / 1000 + 900), ...extra });
  it.each([
    ['time to reset against the answer\'s Date', budget({ date: httpDate(NOW) }), { limit: 5000, remaining: 1200, resetEpochSeconds: NOW / 1000 + 900, msUntilReset: 900_000 }],
    ['local clock an hour behind GitHub\'s: still 900 s', budget({ date: httpDate(NOW + 3_600_000), 'x-ratelimit-reset': String((NOW + 3_600_000) / 1000 + 900) }), { msUntilReset: 900_000 }],
    ['reset already passed: 0, never negative', budget({ date: httpDate(NOW + 1_000_000) }), { msUntilReset: 0 }],
    ['the core resource named', budget({ date: httpDate(NOW), 'x-ratelimit-resource': 'core' }), { remaining: 1200 }],
  ])('%s', (_name, headers, expected) => {
    expect(readBudget(headers, NOW)).toMatchObject(expected);
  });

  it.each([
    ['no rate-limit headers', {}],
    ['another resource (search has a budget of its own)', budget({ 'x-ratelimit-resource': 'search' })],
    ['a malformed remaining', budget({ 'x-ratelimit-remaining': 'lots' })],
  ])('null for %s', (_name, headers) => {
    expect(readBudget(headers, NOW)).toBeNull();
  });
});

describe('rate-limit header readers', () => {
  it.each([
    ['delay-seconds', { 'retry-after': '30' }, 30],
    ['zero', { 'retry-after': '0' }, 0],
    ['negative is clamped', { 'retry-after': '-5' }, 0],
    ['HTTP-date against the answer\'s Date, not the local clock', { 'retry-after': httpDate(NOW + 3_600_000 + 8_000), date: httpDate(NOW + 3_600_000) }, 8],
    ['HTTP-date in the past', { 'retry-after': httpDate(NOW - 5_000), date: httpDate(NOW) }, 0],
    ['HTTP-date without Date: local clock', { 'retry-after': httpDate(NOW + 8_000) }, 8],
    ['absent', {}, null],
    ['garbage', { 'Retry-After': 'soon' }, null],
  ])('retryAfterSeconds: %s', (_name, headers, expected) => {
    expect(retryAfterSeconds(headers, NOW)).toBe(expected);
  });

  it.each([
    ['reset 60 s after the answer\'s Date, local clock an hour ahead', NOW / 1000 + 60, httpDate(NOW - 3_600_000), 3_661],
    ['reset 60 s after Date, clocks agree', NOW / 1000 + 60, httpDate(NOW), 61],
    ['reset already passed on GitHub\'s clock: only the margin, never negative', NOW / 1000 - 30, httpDate(NOW), 1],
    ['no Date: the local clock stands in', NOW / 1000 + 10, undefined, 11],
  ])('secondsUntilReset: %s', (_name, reset, date, expected) => {
    const headers = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), ...(date ? { date } : {}) };
    expect(secondsUntilReset(headers, NOW)).toBe(expected);
  });

  it.each([
    [403, { 'x-ratelimit-remaining': '25' }, 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', 'secondary'],
    [429, {}, 'You have exceeded a secondary rate limit.', 'secondary'],
    [429, {}, undefined, 'secondary'],
    [403, {}, 'You have triggered an abuse detection mechanism.', 'secondary'],
    [403, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }, 'API rate limit exceeded for user ID 1.', 'primary'],
    [403, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4000', 'x-ratelimit-reset': '1', 'retry-after': '30' }, 'Must have push access to repository', null],
    [404, {}, 'Not Found', null],
    [200, { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' }, undefined, null],
  ])('classifyRateLimit(%s, %j, %j) → %s', (status, headers, message, expected) => {
    expect(classifyRateLimit(status, headers, message)).toBe(expected);
  });

  it.each([
    // S1: retry-after honoured; S2: at least 60 s without it; doubled on repeats, capped, never below retry-after
    [60, 1, 60],
    [null, 1, 60],
    [null, 2, 120],
    [null, 3, 240],
    [null, 10, 900],
    [1200, 3, 1200],
    [0, 1, 1],
  ])('secondaryPauseSeconds(retry-after %s, strike %s) → %s', (retryAfter, strike, expected) => {
    expect(secondaryPauseSeconds(retryAfter, strike)).toBe(expected);
  });

  it('never pauses one token longer than GitHub\'s one-hour window, whatever retry-after or the reset say', () => {
    const secondary = { 'retry-after': '86400', date: httpDate(NOW) };
    expect(pauseForAnswer(403, secondary, 'You have exceeded a secondary rate limit', NOW)).toEqual({ kind: 'secondary', seconds: 3600 });
    expect(pauseForAnswer(429, { 'retry-after': '120', date: httpDate(NOW) }, undefined, NOW)).toEqual({ kind: 'secondary', seconds: 120 });
    const primary = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 7 * 86400), date: httpDate(NOW) };
    expect(pauseForAnswer(403, primary, 'API rate limit exceeded', NOW)).toEqual({ kind: 'primary', seconds: 3600 });
  });

  it('pauses before the next request when a successful answer spent the last request of the window', () => {
    const headers = { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 20), date: httpDate(NOW) };
    expect(pauseForAnswer(200, headers, undefined, NOW)).toEqual({ kind: 'primary', seconds: 21 });
    expect(pauseForAnswer(200, { ...headers, 'x-ratelimit-remaining': '1' }, undefined, NOW)).toBeNull();
  });
});

/** One recorded api.github.com exchange (hub4j/github-api test resources, MIT; see shared/data/README.md). */
interface Recording {
  test_class: string;
  test: string;
  tags: string[];
  request: { method: string; url: string };
  response: { status: number; headers?: Record<string, string | string[]>; body?: string };
}

/**
 * Loads the recordings with their WireMock placeholders replaced by real instants: `now` is GitHub's
 * clock (`serverNow`), `testStartDate` ten seconds before it.
 */
function loadRecordings(serverNow: number): Recording[] {
  const path = join(thirdPartyDataDir(), 'hub4j-github-api.recordings-subset.jsonl.gz');
  const text = gunzipSync(readFileSync(path)).toString('utf8');
  const units: Record<string, number> = { second: 1_000, seconds: 1_000, hour: 3_600_000, hours: 3_600_000 };
  const fill = text.replace(/\{\{(now|testStartDate)([^}]*)\}\}/g, (_match, base: string, args: string) => {
    const offset = /offset='(-?\d+) (\w+)'/.exec(args);
    const at = (base === 'now' ? serverNow : serverNow - 10_000) + (offset ? Number(offset[1]) * units[offset[2]] : 0);
    return /format='unix'/.test(args) ? String(Math.floor(at / 1000)) : httpDate(at);
  });
  return fill
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Recording);
}

const messageOf = (recording: Recording) => {
  try {
    return (JSON.parse(recording.response.body ?? '') as { message?: string }).message;
  } catch {
    return undefined;
  }
};

/**
 * What each rate-limit or forbidden recording means, written down from the hub4j test that recorded it
 * (not computed by the code under test): the limit kind and the pause in seconds GitHub asks for.
 * Seconds are on GitHub's clock; `testStartDate` is 10 s before the answer's Date.
 */
const EXPECTED_LIMITS: Record<string, { kind: 'primary' | 'secondary' | null; seconds: number | null; needsDate?: boolean }> = {
  'AbuseLimitHandlerTest testHandler_Fail': { kind: null, seconds: null }, // "Must have push access": a permission error
  'AbuseLimitHandlerTest testHandler_HttpStatus_Fail': { kind: null, seconds: null },
  'AbuseLimitHandlerTest testHandler_Wait': { kind: null, seconds: null },
  'AbuseLimitHandlerTest testHandler_WaitStuck': { kind: null, seconds: null },
  'AbuseLimitHandlerTest testHandler_Wait_Secondary_Limits': { kind: 'secondary', seconds: null },
  'AbuseLimitHandlerTest testHandler_Wait_Secondary_Limits_Body_Marker_Only': { kind: 'secondary', seconds: null },
  'AbuseLimitHandlerTest testHandler_Wait_Secondary_Limits_Too_Many_Requests': { kind: 'secondary', seconds: 8 },
  'AbuseLimitHandlerTest testHandler_Wait_Secondary_Limits_Too_Many_Requests_Date_Retry_After': { kind: 'secondary', seconds: 8 },
  'AbuseLimitHandlerTest testHandler_Wait_Secondary_Limits_Too_Many_Requests_Date_Retry_After_Missing_Date_Header': { kind: 'secondary', seconds: 8, needsDate: true },
  'AbuseLimitHandlerTest testHandler_Wait_Secondary_Limits_Too_Many_Requests_No_Retry_After': { kind: 'secondary', seconds: null },
  'GHRepositoryTest getPermission': { kind: null, seconds: null },
  'RateLimitHandlerTest testHandler_Fail': { kind: 'primary', seconds: 1 }, // reset 7 s ago: margin only
  'RateLimitHandlerTest testHandler_HttpStatus_Fail': { kind: 'primary', seconds: 1 },
  'RateLimitHandlerTest testHandler_Wait': { kind: 'primary', seconds: 4 }, // reset 3 s after Date, + 1
  'RateLimitHandlerTest testHandler_WaitStuck': { kind: 'primary', seconds: 1 },
  'RateLimitHandlerTest testHandler_Wait_Missing_Date_Header': { kind: 'primary', seconds: 4, needsDate: true },
  'RepositoryTrafficTest testGetTrafficStatsAccessFailureDueToInsufficientPermissions': { kind: null, seconds: null },
  'AuthorizationTokenRefreshTest testNewWhenOldOneExpires': { kind: 'primary', seconds: 2 },
  'AuthorizationTokenRefreshTest testNotNewWhenOldOneIsStillValid': { kind: 'primary', seconds: 4 },
};

describe.each([
  ['clocks agree', 0],
  ['the local clock is an hour behind GitHub', 3_600_000],
])('recorded api.github.com answers (hub4j recordings), %s', (_clock, skewMs) => {
  const localNow = Date.now();
  const serverNow = localNow + skewMs;
  const recordings = loadRecordings(serverNow);

  it('holds the records the table covers', () => {
    expect(recordings).toHaveLength(118);
    const limited = recordings.filter((r) => r.tags.includes('rate_limit_or_forbidden')).map((r) => `${r.test_class} ${r.test}`);
    expect(new Set(limited)).toEqual(new Set(Object.keys(EXPECTED_LIMITS)));
  });

  const limited = recordings.filter((r) => r.tags.includes('rate_limit_or_forbidden') && !(skewMs && EXPECTED_LIMITS[`${r.test_class} ${r.test}`]?.needsDate));
  it.each(limited.map((r) => [`${r.response.status} ${r.test_class} ${r.test}`, r] as const))('reads the limit of %s', (name, recording) => {
    const expected = EXPECTED_LIMITS[name.replace(/^\d+ /, '')];
    const { status, headers = {} } = recording.response;
    const pause = pauseForAnswer(status, headers, messageOf(recording), localNow);
    if (expected.kind === null) {
      expect(pause).toBeNull();
      return;
    }
    expect(pause?.kind).toBe(expected.kind);
    expect(pause?.seconds).toBe(expected.seconds);
    if (expected.kind === 'secondary') expect(retryAfterSeconds(headers, localNow)).toBe(expected.seconds);
  });

  const paged = recordings.filter((r) => r.tags.includes('link'));
  it.each(paged.map((r) => [r.request.url, r] as const))('follows the Link header of %s', (_url, recording) => {
    const raw = headerValue(recording.response.headers, 'link') ?? '';
    const links = parseLinkHeader(raw);
    expect(Object.keys(links).sort()).toEqual([...raw.matchAll(/rel="(\w+)"/g)].map((m) => m[1]).sort());
    const page = Number(new URL(recording.request.url, 'https://api.github.com').searchParams.get('page') ?? '1');
    if (links.next) {
      expect(new URL(links.next).searchParams.get('page')).toBe(String(page + 1));
      expect(relativeToBase(links.next, 'https://api.github.com')).toMatch(/^\/.+[?&]page=\d+/);
    } else if (/rel="(prev|first)"/.test(raw)) {
      expect(links.prev ?? links.first).toBeDefined(); // the last page links back, and paging stops
    } else {
      // a Link that is not pagination (a 201 carrying rel="deprecation"): nothing to follow
      expect(Object.keys(links)).toEqual(['deprecation']);
    }
    expect(classifyRateLimit(recording.response.status, recording.response.headers, undefined)).toBeNull();
  });

  const answered = recordings.filter((r) => r.response.status === 200 || r.response.status === 304);
  it.each(answered.map((r) => [`${r.response.status} ${r.request.url}`, r] as const))('reads ETag and X-RateLimit-* of %s', (_name, recording) => {
    const headers = recording.response.headers ?? {};
    const state = readRateLimit(headers);
    expect(state).not.toBeNull();
    expect(state!.remaining).toBeGreaterThan(0);
    expect(state!.remaining).toBeLessThanOrEqual(state!.limit);
    expect(pauseForAnswer(recording.response.status, headers, undefined, localNow)).toBeNull();
    const etag = headerValue(headers, 'etag');
    if (recording.response.status === 304) expect(etag).toMatch(/^(W\/)?"[0-9a-f]+"$/);
  });
});
