import { splitWindow } from './leaderboard-window.js';

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
