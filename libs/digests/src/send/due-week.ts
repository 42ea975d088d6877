import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import type { IsoWeekKey } from '../digest.types.js';
import { isoWeekOf, previousIsoWeek, weekBounds } from '../iso-week.js';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';

/** The last time zone on Earth (UTC−12): a week has ended on every member's clock once it has ended there. */
const LAST_ZONE = 'Etc/GMT+12';

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

/**
 * Checks that ISO week `week` has ended on every clock at `now` (local Monday 00:00 of the next week has passed
 * in UTC−12, the last zone): a run started by hand for a week still going on (or a future one, a typo) would send
 * a partial digest and take the ledger row of (member, week), so the real digest of that week would never go.
 * @throws DigestSendException WEEK_INVALID for a malformed week key, or naming the week and the instant it ends everywhere.
 */
export function assertWeekEnded(week: IsoWeekKey, now: Date): void {
  let end: Date;
  try {
    end = weekBounds(week, LAST_ZONE).end;
  } catch (error) {
    throw new DigestSendException((error as Error).message, DigestSendExceptionCode.WEEK_INVALID);
  }
  if (now.getTime() < end.getTime()) {
    throw new DigestSendException(
      `${week} has not ended everywhere yet (it ends on every clock at ${end.toISOString()}): a digest of it would be partial`,
      DigestSendExceptionCode.WEEK_INVALID,
    );
  }
}
