import { anywhereOnEarthWindow, isCalendarDate } from './anywhere-on-earth.js';

describe('anywhereOnEarthWindow', () => {
  it.each([
    ['one day', '2026-03-14', '2026-03-14', '2026-03-13T10:00:00.000Z', '2026-03-15T12:00:00.000Z'],
    ['a weekend', '2026-03-14', '2026-03-15', '2026-03-13T10:00:00.000Z', '2026-03-16T12:00:00.000Z'],
    ['across a year end', '2025-12-31', '2026-01-01', '2025-12-30T10:00:00.000Z', '2026-01-02T12:00:00.000Z'],
    ['ending on a leap day', '2028-02-28', '2028-02-29', '2028-02-27T10:00:00.000Z', '2028-03-01T12:00:00.000Z'],
    ['starting on the first of a month', '2026-03-01', '2026-03-02', '2026-02-28T10:00:00.000Z', '2026-03-03T12:00:00.000Z'],
    // fixed offsets: daylight-saving changes anywhere on earth do not move the window
    ['over a DST change', '2026-03-28', '2026-03-29', '2026-03-27T10:00:00.000Z', '2026-03-30T12:00:00.000Z'],
  ])('%s: %s to %s opens at %s and closes (exclusive) at %s', (_name, start, end, startsAt, endsAt) => {
    const window = anywhereOnEarthWindow(start, end);
    expect(window.startsAt.toISOString()).toBe(startsAt);
    expect(window.endsAt.toISOString()).toBe(endsAt);
  });

  it('includes 23:59:59 at UTC−12 on the end date and excludes the next second', () => {
    const { endsAt } = anywhereOnEarthWindow('2026-03-14', '2026-03-15');
    const lastSecond = new Date('2026-03-15T23:59:59-12:00');
    expect(lastSecond.getTime()).toBeLessThan(endsAt.getTime());
    expect(lastSecond.getTime() + 1000).toBe(endsAt.getTime());
  });

  it.each([
    ['end before start', '2026-03-15', '2026-03-14', /before the start date/],
    ['a day that does not exist', '2026-02-30', '2026-03-01', /not a calendar date/],
    ['not a leap year', '2026-02-29', '2026-03-01', /not a calendar date/],
    ['a malformed date', '2026-3-1', '2026-03-02', /not a calendar date/],
  ])('refuses %s', (_name, start, end, message) => {
    expect(() => anywhereOnEarthWindow(start, end)).toThrow(message);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2026-12-31', true],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['26-01-01', false],
    ['2026-01-01T00:00:00Z', false],
  ])('%s → %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
