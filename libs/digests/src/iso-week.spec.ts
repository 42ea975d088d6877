import { isoWeekOf, isoWeeksInYear, parseIsoWeek, previousIsoWeek, weekBounds } from './iso-week.js';

describe('ISO weeks', () => {
  it('knows the weeks of a year from 28 December (ISO 8601)', () => {
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(isoWeeksInYear(2020)).toBe(53);
  });

  it.each([
    ['2026-W48', 'UTC', '2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z'],
    ['2026-W48', 'Asia/Shanghai', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z'],
    ['2026-W48', 'America/Los_Angeles', '2026-11-23T08:00:00.000Z', '2026-11-30T08:00:00.000Z'],
    // week 1 of 2026 starts in 2025; week 53 of 2026 ends in 2027
    ['2026-W01', 'UTC', '2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z'],
    ['2026-W53', 'UTC', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z'],
    // Europe/Berlin leaves summer time on Sunday 25 October 2026: a 169-hour week
    ['2026-W43', 'Europe/Berlin', '2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z'],
  ])('%s in %s spans [%s, %s)', (key, zone, start, end) => {
    const bounds = weekBounds(key, zone);
    expect(bounds.start.toISOString()).toBe(start);
    expect(bounds.end.toISOString()).toBe(end);
  });

  it("finds the week an instant falls in on a zone's wall clock", () => {
    // Sunday 29 November 2026 20:00 UTC is already Monday in Shanghai
    expect(isoWeekOf(new Date('2026-11-29T20:00:00Z'), 'UTC')).toBe('2026-W48');
    expect(isoWeekOf(new Date('2026-11-29T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-W49');
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'), 'UTC')).toBe('2026-W53');
  });

  it('steps back across years', () => {
    expect(previousIsoWeek('2027-W01')).toBe('2026-W53');
    expect(previousIsoWeek('2026-W10')).toBe('2026-W09');
  });

  it.each(['2026-48', '2026-W00', '2025-W53', 'W48', '2026-W5'])('refuses %s, naming it', (key) => {
    expect(() => parseIsoWeek(key)).toThrow(new RegExp(`"${key}" is not an ISO week`));
  });

  it.each(['0026-W48', '0099-W01', '1969-W52'])('refuses %s, a year before 1970 (a Date reads years 0-99 as 1900-1999)', (key) => {
    expect(() => parseIsoWeek(key)).toThrow(new RegExp(`"${key}" is not an ISO week Cambrian keeps: years from 1970`));
    expect(() => weekBounds(key, 'UTC')).toThrow(RangeError);
  });
});
