import dayjs, { type Dayjs } from 'dayjs';

/**
 * ISO 8601 weeks (`YYYY-Www`, Monday to Sunday, week 1 holds the year's first Thursday) as the api's
 * digests name them, for the console's week pickers. Pure calendar arithmetic on the picked day's
 * year, month and day: the browser's time zone and dayjs's locale play no part.
 */

const WEEK_KEY = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

/** The ISO year and week number of a calendar day (month 1–12). */
function isoWeekParts(year: number, month: number, day: number): { year: number; week: number } {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(date.getTime() + (3 - weekday) * DAY_MS); // the week's Thursday decides its year
  const isoYear = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS));
  return { year: isoYear, week };
}

/** `YYYY-Www` of a year and week number. */
function formatKey(year: number, week: number): string {
  return `${String(year).padStart(4, '0')}-W${String(week).padStart(2, '0')}`;
}

/** The number of ISO weeks of a year (52 or 53): the week of 28 December is the last. */
export function isoWeeksInYear(year: number): number {
  return isoWeekParts(year, 12, 28).week;
}

/** The ISO week (`YYYY-Www`) holding a picked calendar day (its year, month and day as shown). */
export function isoWeekOfDay(day: Dayjs): string {
  const { year, week } = isoWeekParts(day.year(), day.month() + 1, day.date());
  return formatKey(year, week);
}

/** The ISO week holding an instant, read on the UTC calendar. */
export function isoWeekOfInstant(instant: Date): string {
  const { year, week } = isoWeekParts(instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate());
  return formatKey(year, week);
}

/**
 * The Monday of an ISO week as a dayjs calendar day (local midnight), for a week picker's value; null for
 * text that is not `YYYY-Www`, a year before 1970 (the api keeps none) or a week the year does not have.
 */
export function mondayOfIsoWeek(key: string | null | undefined): Dayjs | null {
  const match = WEEK_KEY.exec(key ?? '');
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (year < 1970 || week < 1 || week > isoWeeksInYear(year)) return null;
  const jan4 = Date.UTC(year, 0, 4); // always in week 1
  const monday = new Date(jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (week - 1) * 7 * DAY_MS);
  return dayjs(new Date(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate()));
}

/**
 * The week the page starts on: the last ISO week that has ended everywhere at `now` (its local Monday
 * 00:00 of the next week has passed on the UTC−12 clock, as `startDigestRun` requires), i.e. the week
 * before the one holding `now` − 12 h.
 */
export function lastEndedWeek(now: Date): string {
  const behind = new Date(now.getTime() - 12 * 3_600_000 - 7 * DAY_MS);
  return isoWeekOfInstant(behind);
}
