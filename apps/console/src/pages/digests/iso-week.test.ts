// @vitest-environment node
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { isoWeekOfDay, isoWeekOfInstant, isoWeeksInYear, lastEndedWeek, mondayOfIsoWeek } from './iso-week.js';

describe('ISO weeks of the digests page', () => {
  it.each([
    ['2026-11-23', '2026-W48'], // a Monday
    ['2026-11-29', '2026-W48'], // its Sunday
    ['2026-11-30', '2026-W49'],
    ['2021-01-03', '2020-W53'], // early January in the previous ISO year
    ['2024-12-30', '2025-W01'], // late December in the next ISO year
    ['2026-12-31', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
  ])('puts %s in %s', (day, week) => {
    expect(isoWeekOfDay(dayjs(day))).toBe(week);
    expect(isoWeekOfInstant(new Date(`${day}T23:59:59Z`))).toBe(week);
  });

  it('knows which years have 53 weeks', () => {
    expect([2020, 2024, 2025, 2026, 2027].map(isoWeeksInYear)).toEqual([53, 52, 52, 53, 52]);
  });

  it('finds the Monday of a week, and back', () => {
    expect(mondayOfIsoWeek('2026-W48')!.format('YYYY-MM-DD')).toBe('2026-11-23');
    expect(mondayOfIsoWeek('2020-W53')!.format('YYYY-MM-DD')).toBe('2020-12-28');
    expect(mondayOfIsoWeek('2025-W01')!.format('YYYY-MM-DD')).toBe('2024-12-30');
    for (const key of ['2026-W01', '2026-W27', '2026-W53', '2021-W01']) expect(isoWeekOfDay(mondayOfIsoWeek(key)!)).toBe(key);
  });

  it.each([null, '', '2026-48', '2026-W00', '2025-W53', '1969-W10', '2026-W5', 'x2026-W05'])('reads %j as no week', (text) => {
    expect(mondayOfIsoWeek(text)).toBeNull();
  });

  it('starts on the last week that has ended on every clock (UTC−12)', () => {
    // Monday 30 November 2026: W48 ended in UTC at 00:00, on the UTC−12 clock only at 12:00 UTC
    expect(lastEndedWeek(new Date('2026-11-30T11:59:00Z'))).toBe('2026-W47');
    expect(lastEndedWeek(new Date('2026-11-30T12:00:00Z'))).toBe('2026-W48');
    expect(lastEndedWeek(new Date('2027-01-04T12:00:00Z'))).toBe('2026-W53');
  });
});
