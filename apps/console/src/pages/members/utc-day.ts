import type { Dayjs } from 'dayjs';

/**
 * The UTC instant at which a picked calendar day starts, ISO 8601: the console reads the days of its date
 * pickers in UTC, whatever the browser's time zone (the api's instants are UTC).
 */
export function utcDayStart(day: Dayjs): string {
  return `${day.format('YYYY-MM-DD')}T00:00:00.000Z`;
}
