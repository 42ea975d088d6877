import { DigestSendException } from './digest-send.exception.js';
import { assertWeekEnded, dueDigestWeek, localMondayAt } from './due-week.js';

describe('when a digest is due', () => {
  it.each([
    // Monday 30 November 2026, 08:59 and 09:00 in UTC
    ['2026-11-30T08:59:00Z', 'UTC', null],
    ['2026-11-30T09:00:00Z', 'UTC', '2026-W48'],
    ['2026-12-06T23:00:00Z', 'UTC', '2026-W48'],
    // 01:00 UTC Monday is 09:00 in Shanghai: week 48 is due there, not yet in Berlin (02:00) or Los Angeles (Sunday)
    ['2026-11-30T01:00:00Z', 'Asia/Shanghai', '2026-W48'],
    ['2026-11-30T01:00:00Z', 'Europe/Berlin', null],
    ['2026-11-30T01:00:00Z', 'America/Los_Angeles', '2026-W47'],
    // Kolkata is UTC+05:30: 09:00 there is 03:30 UTC
    ['2026-11-30T03:29:00Z', 'Asia/Kolkata', null],
    ['2026-11-30T03:30:00Z', 'Asia/Kolkata', '2026-W48'],
    // across a year: Monday 4 January 2027 is in 2027-W01, so 2026-W53 is due
    ['2027-01-04T09:00:00Z', 'UTC', '2026-W53'],
  ])('at %s in %s: %s', (now, zone, week) => {
    expect(dueDigestWeek(new Date(now), zone, 9)).toBe(week);
  });

  it('reads Monday 09:00 on the wall clock across a daylight-saving change', () => {
    // Berlin: summer time until Sunday 25 October 2026; Monday 26 October 09:00 is 08:00 UTC
    expect(localMondayAt('2026-W44', 'Europe/Berlin', 9).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(localMondayAt('2026-W43', 'Europe/Berlin', 9).toISOString()).toBe('2026-10-19T07:00:00.000Z');
  });
});

describe('a week started by hand', () => {
  it('must have ended on every clock: week 48 of 2026 ends at 12:00 UTC on Monday 30 November (UTC−12)', () => {
    expect(() => assertWeekEnded('2026-W48', new Date('2026-11-30T12:00:00Z'))).not.toThrow();
    expect(() => assertWeekEnded('2026-W48', new Date('2026-11-30T11:59:59Z'))).toThrow(/2026-W48 has not ended everywhere yet \(it ends on every clock at 2026-11-30T12:00:00.000Z\)/);
    expect(() => assertWeekEnded('2030-W01', new Date('2026-11-30T12:00:00Z'))).toThrow(DigestSendException);
    expect(() => assertWeekEnded('2026-48', new Date('2026-11-30T12:00:00Z'))).toThrow(/"2026-48" is not an ISO week/);
  });
});
