import { resolvePeriod } from './leaderboard-period.js';
import { QueryException } from './query.exception.js';

const now = new Date('2026-03-15T12:00:00Z');

describe('resolvePeriod', () => {
  it.each([
    ['nothing → last 30 days', undefined, { since: new Date('2026-02-13T12:00:00Z'), until: now }],
    ['LAST_7_DAYS', { preset: 'LAST_7_DAYS' }, { since: new Date('2026-03-08T12:00:00Z'), until: now }],
    ['LAST_365_DAYS', { preset: 'LAST_365_DAYS' }, { since: new Date('2025-03-15T12:00:00Z'), until: now }],
    ['ALL_TIME', { preset: 'ALL_TIME' }, { since: null, until: now }],
    ['since only', { since: new Date('2026-01-01T00:00:00Z') }, { since: new Date('2026-01-01T00:00:00Z'), until: now }],
    [
      'since and until',
      { since: new Date('2025-01-01T00:00:00Z'), until: new Date('2025-02-01T00:00:00Z') },
      { since: new Date('2025-01-01T00:00:00Z'), until: new Date('2025-02-01T00:00:00Z') },
    ],
    ['until only', { until: new Date('2025-02-01T00:00:00Z') }, { since: null, until: new Date('2025-02-01T00:00:00Z') }],
  ] as const)('%s', (_label, input, expected) => {
    expect(resolvePeriod(input, now)).toEqual(expected);
  });

  it.each([
    ['a preset and bounds', { preset: 'ALL_TIME' as const, since: new Date('2025-01-01T00:00:00Z') }],
    ['since after until', { since: new Date('2025-02-01T00:00:00Z'), until: new Date('2025-01-01T00:00:00Z') }],
    ['since in the future', { since: new Date('2027-01-01T00:00:00Z') }],
  ])('refuses %s with BAD_USER_INPUT', (_label, input) => {
    expect(() => resolvePeriod(input, now)).toThrow(QueryException);
    expect(() => resolvePeriod(input, now)).toThrow(/Invalid arguments/);
  });
});
