import { QueryException, QueryExceptionCode } from './query.exception.js';

/** Named leaderboard windows; each ends now (UTC). `LAST_365_DAYS` is "the last year". */
export const PERIOD_PRESETS = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_365_DAYS', 'ALL_TIME'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

const PRESET_DAYS: Record<PeriodPreset, number | null> = {
  LAST_7_DAYS: 7,
  LAST_30_DAYS: 30,
  LAST_365_DAYS: 365,
  ALL_TIME: null,
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** A period as asked: a preset, or explicit bounds (either may be open). */
export interface PeriodInput {
  preset?: PeriodPreset | null;
  /** UTC instant, inclusive. */
  since?: Date | null;
  /** UTC instant, exclusive. */
  until?: Date | null;
}

/** A resolved half-open window `[since, until)`; `since` null means from the beginning. */
export interface ResolvedPeriod {
  since: Date | null;
  until: Date;
}

/**
 * Resolves a period against `now`: a preset of N days is `[now − N×24 h, now)`, `ALL_TIME` is
 * `[−∞, now)`; explicit bounds default to `[−∞, now)`. No input at all means `LAST_30_DAYS`.
 * @throws QueryException BAD_USER_INPUT when a preset and bounds are both given, or `since` is not before `until`.
 */
export function resolvePeriod(input: PeriodInput | null | undefined, now: Date): ResolvedPeriod {
  const preset = input?.preset ?? null;
  const since = input?.since ?? null;
  const until = input?.until ?? null;
  if (preset && (since || until)) {
    throw new QueryException(
      'Invalid arguments: period: give either preset or since/until, not both',
      QueryExceptionCode.BAD_USER_INPUT,
    );
  }
  if (!preset && !since && !until) return resolvePeriod({ preset: 'LAST_30_DAYS' }, now);
  if (preset) {
    const days = PRESET_DAYS[preset];
    return { since: days === null ? null : new Date(now.getTime() - days * DAY_MS), until: now };
  }
  const end = until ?? now;
  if (since && since.getTime() >= end.getTime()) {
    throw new QueryException(
      'Invalid arguments: period.since: must be before period.until (or before now when until is not given)',
      QueryExceptionCode.BAD_USER_INPUT,
    );
  }
  return { since, until: end };
}
