import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { IsoWeekKey } from '../digest.types.js';
import { isoWeekOf, previousIsoWeek, weekBounds } from '../iso-week.js';

/**
 * The UTC instant of a member's local Monday `hour`:00 of ISO week `week` in `timeZone` (IANA), as the
 * zone's wall clock has it (a daylight-saving change is taken as the zone has it).
 */
export function localMondayAt(week: IsoWeekKey, timeZone: string, hour: number): Date {
  const monday = formatInTimeZone(weekBounds(week, timeZone).start, timeZone, 'yyyy-MM-dd');
  return fromZonedTime(`${monday}T${String(hour).padStart(2, '0')}:00:00`, timeZone);
}

/**
 * The ISO week whose digest is due at `now` for a member in `timeZone`: the week just ended, once the
 * member's local Monday `sendHour`:00 of the new week has passed; null before that (Monday night, say),
 * when the previous week is still being finished on the member's clock. Earlier weeks are never due:
 * a digest about the week before last is stale.
 */
export function dueDigestWeek(now: Date, timeZone: string, sendHour: number): IsoWeekKey | null {
  const current = isoWeekOf(now, timeZone);
  return now.getTime() >= localMondayAt(current, timeZone, sendHour).getTime() ? previousIsoWeek(current) : null;
}
