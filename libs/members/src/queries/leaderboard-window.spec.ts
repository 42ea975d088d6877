import { monthsOverlapping, splitWindow, splitWindowByMonths } from './leaderboard-window.js';

const at = (iso: string) => new Date(iso);

describe('splitWindow', () => {
  it.each([
    [
      'partial days at both ends',
      '2025-01-01T12:00:00Z',
      '2025-01-04T06:00:00Z',
      { from: '2025-01-02', to: '2025-01-04' },
      [
        ['2025-01-01T12:00:00.000Z', '2025-01-02T00:00:00.000Z'],
        ['2025-01-04T00:00:00.000Z', '2025-01-04T06:00:00.000Z'],
      ],
    ],
    ['whole days only', '2025-01-01T00:00:00Z', '2025-01-03T00:00:00Z', { from: '2025-01-01', to: '2025-01-03' }, []],
    [
      'within one day',
      '2025-01-01T01:00:00Z',
      '2025-01-01T23:00:00Z',
      null,
      [['2025-01-01T01:00:00.000Z', '2025-01-01T23:00:00.000Z']],
    ],
    [
      'across midnight without a whole day',
      '2025-01-01T20:00:00Z',
      '2025-01-02T04:00:00Z',
      null,
      [['2025-01-01T20:00:00.000Z', '2025-01-02T04:00:00.000Z']],
    ],
    [
      'open start',
      null,
      '2025-01-02T04:00:00Z',
      { from: null, to: '2025-01-02' },
      [['2025-01-02T00:00:00.000Z', '2025-01-02T04:00:00.000Z']],
    ],
  ])('%s', (_label, since, until, days, partial) => {
    const split = splitWindow(since === null ? null : at(since), at(until));
    expect(split.days).toEqual(days);
    expect(split.partial.map((range) => [range.since?.toISOString(), range.until.toISOString()])).toEqual(partial);
  });
});

describe('splitWindowByMonths', () => {
  const show = (since: string, until: string) => {
    const split = splitWindowByMonths(at(since), at(until));
    return { months: split.months, days: split.days, partial: split.partial.map((range) => [range.since?.toISOString(), range.until.toISOString()]) };
  };
  it.each([
    [
      'the last 30 days: a month minus its other days, two days, partial ends',
      '2025-10-30T10:00:00Z',
      '2025-11-29T10:00:00Z',
      {
        months: ['2025-11-01'],
        days: [
          { from: '2025-10-31', to: '2025-11-01', sign: 1 },
          { from: '2025-11-29', to: '2025-12-01', sign: -1 },
        ],
        partial: [
          ['2025-10-30T10:00:00.000Z', '2025-10-31T00:00:00.000Z'],
          ['2025-11-29T00:00:00.000Z', '2025-11-29T10:00:00.000Z'],
        ],
      },
    ],
    [
      'aligned on months',
      '2025-01-01T00:00:00Z',
      '2025-03-01T00:00:00Z',
      { months: ['2025-01-01', '2025-02-01'], days: [], partial: [] },
    ],
    [
      'half a month or less: days',
      '2025-01-10T00:00:00Z',
      '2025-01-25T00:00:00Z',
      { months: [], days: [{ from: '2025-01-10', to: '2025-01-25', sign: 1 }], partial: [] },
    ],
    [
      'most of one month: the month minus both ends',
      '2025-01-03T00:00:00Z',
      '2025-01-30T00:00:00Z',
      {
        months: ['2025-01-01'],
        days: [
          { from: '2025-01-01', to: '2025-01-03', sign: -1 },
          { from: '2025-01-30', to: '2025-02-01', sign: -1 },
        ],
        partial: [],
      },
    ],
    [
      'across a year end, partial days at both ends',
      '2024-11-30T23:00:00Z',
      '2025-01-01T01:00:00Z',
      {
        months: ['2024-12-01'],
        days: [],
        partial: [
          ['2024-11-30T23:00:00.000Z', '2024-12-01T00:00:00.000Z'],
          ['2025-01-01T00:00:00.000Z', '2025-01-01T01:00:00.000Z'],
        ],
      },
    ],
    ['within one day', '2025-01-01T01:00:00Z', '2025-01-01T02:00:00Z', { months: [], days: [], partial: [['2025-01-01T01:00:00.000Z', '2025-01-01T02:00:00.000Z']] }],
  ])('%s', (_case, since, until, expected) => {
    expect(show(since, until)).toEqual(expected);
  });
});

describe('monthsOverlapping', () => {
  it.each([
    ['30 days across two months', '2025-10-30T10:00:00Z', '2025-11-29T10:00:00Z', ['2025-10-01', '2025-11-01']],
    ['ends on a month start (exclusive)', '2025-01-15T00:00:00Z', '2025-03-01T00:00:00Z', ['2025-01-01', '2025-02-01']],
    ['across a year end', '2024-12-31T00:00:00Z', '2025-01-01T00:00:01Z', ['2024-12-01', '2025-01-01']],
    ['one instant', '2025-05-05T05:05:05Z', '2025-05-05T05:05:06Z', ['2025-05-01']],
  ])('%s', (_case, since, until, expected) => {
    expect(monthsOverlapping(at(since), at(until))).toEqual(expected);
  });
});
