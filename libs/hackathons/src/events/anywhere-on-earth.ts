/** UTC+14 (Line Islands): the first place on earth where a calendar day begins. */
const EARLIEST_OFFSET_HOURS = 14;
/** UTC−12 (Baker Island): the last place on earth where a calendar day ends. */
const LATEST_OFFSET_HOURS = 12;
const HOUR_MS = 3_600_000;

/** A calendar date `YYYY-MM-DD` that exists in the proleptic Gregorian calendar. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Midnight UTC at the start of a calendar date, in milliseconds since the epoch. */
function utcMidnight(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  const [year, month, day] = date.split('-').map(Number);
  return Date.UTC(year, month - 1, day);
}

/**
 * The event window of an "anywhere on earth" hackathon (DESIGN.md): it opens when `startDate`
 * begins somewhere (00:00 at UTC+14) and closes when `endDate` has ended everywhere (23:59:59 at
 * UTC−12). The window is half-open, `[startsAt, endsAt)`, so `endsAt` is one second after that
 * last instant: 12:00:00 UTC on the day after `endDate`.
 * @param startDate first calendar day, `YYYY-MM-DD`.
 * @param endDate last calendar day, `YYYY-MM-DD` (the same day or later).
 * @returns UTC instants.
 * @throws RangeError for a malformed or non-existent date, or an end date before the start date.
 */
export function anywhereOnEarthWindow(startDate: string, endDate: string): { startsAt: Date; endsAt: Date } {
  const start = utcMidnight(startDate);
  const end = utcMidnight(endDate);
  if (end < start) throw new RangeError(`the end date ${endDate} is before the start date ${startDate}`);
  return {
    startsAt: new Date(start - EARLIEST_OFFSET_HOURS * HOUR_MS),
    endsAt: new Date(end + 24 * HOUR_MS + LATEST_OFFSET_HOURS * HOUR_MS),
  };
}
