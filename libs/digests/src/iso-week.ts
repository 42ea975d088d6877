import { addDays, getISOWeek, getISOWeekYear, startOfISOWeek } from 'date-fns';
import { fromZonedTime, toZonedTime } from 'date-fns-tz';
import type { IsoWeekKey } from './digest.types.js';

const WEEK_KEY = /^(\d{4})-W(\d{2})$/;

/** The first year a week key may name: `new Date(year, ...)` reads years 0–99 as 1900–1999, and no activity is older. */
const FIRST_YEAR = 1970;

/** A week's bounds as UTC instants: `[start, end)`, local Monday 00:00 to the next local Monday 00:00. */
export interface WeekBounds {
  week: IsoWeekKey;
  start: Date;
  end: Date;
}

/**
 * Parses `YYYY-Www` (ISO 8601 week date, weeks 01–52 or 53; years from 1970).
 * @throws RangeError naming the key when it is malformed, the year is before 1970 or has no such week
 */
export function parseIsoWeek(key: string): { year: number; week: number } {
  const match = WEEK_KEY.exec(key);
  if (!match) throw new RangeError(`"${key}" is not an ISO week: expected YYYY-Www, e.g. 2026-W48`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < FIRST_YEAR) throw new RangeError(`"${key}" is not an ISO week Cambrian keeps: years from ${FIRST_YEAR}`);
  if (week < 1 || week > isoWeeksInYear(year)) {
    throw new RangeError(`"${key}" is not an ISO week: ${year} has weeks W01 to W${isoWeeksInYear(year)}`);
  }
  return { year, week };
}

/** The number of ISO weeks in a year (52 or 53): the week holding 28 December is the last. */
export function isoWeeksInYear(year: number): number {
  return getISOWeek(new Date(year, 11, 28));
}

/** The ISO week key (`YYYY-Www`) that holds `instant` on the wall clock of `timeZone` (IANA name). */
export function isoWeekOf(instant: Date, timeZone: string): IsoWeekKey {
  const local = toZonedTime(instant, timeZone);
  return formatIsoWeek(getISOWeekYear(local), getISOWeek(local));
}

/** Formats a year and week number as `YYYY-Www`. */
export function formatIsoWeek(year: number, week: number): IsoWeekKey {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/**
 * The UTC instants a member's week spans: from Monday 00:00 to the next Monday 00:00 on the wall clock of
 * `timeZone`. A day that a daylight-saving change shortens or lengthens is taken as the zone has it.
 * @throws RangeError for a malformed week key (see {@link parseIsoWeek})
 */
export function weekBounds(key: IsoWeekKey, timeZone: string): WeekBounds {
  const { year, week } = parseIsoWeek(key);
  // 4 January is always in week 1; its ISO week's Monday, plus (week - 1) weeks, is the week's Monday
  const mondayOfWeek1 = startOfISOWeek(new Date(year, 0, 4));
  const monday = addDays(mondayOfWeek1, (week - 1) * 7);
  const next = addDays(monday, 7);
  return { week: key, start: fromZonedTime(localDate(monday), timeZone), end: fromZonedTime(localDate(next), timeZone) };
}

/** The week before `key` (crosses years: 2027-W01 → 2026-W53 when 2026 has 53 weeks). */
export function previousIsoWeek(key: IsoWeekKey): IsoWeekKey {
  const { year, week } = parseIsoWeek(key);
  return week > 1 ? formatIsoWeek(year, week - 1) : formatIsoWeek(year - 1, isoWeeksInYear(year - 1));
}

/** `YYYY-MM-DDT00:00:00` of a date-fns local date, to be read on another zone's wall clock. */
function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T00:00:00`;
}
