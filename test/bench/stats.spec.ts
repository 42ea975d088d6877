import { median, percentile, round } from '../../bench/lib/stats.js';

describe('benchmark statistics', () => {
  it('median: the middle value, the mean of the two middle ones for an even count, unsorted input left as it was', () => {
    const values = [9, 1, 5];
    expect(median(values)).toBe(5);
    expect(values).toEqual([9, 1, 5]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it('percentile: nearest rank of an ascending list (p50 of 1..10 is 5, p95 is 10, p0 is the first)', () => {
    const sorted = Array.from({ length: 10 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(5);
    expect(percentile(sorted, 95)).toBe(10);
    expect(percentile(sorted, 90)).toBe(9);
    expect(percentile(sorted, 0)).toBe(1);
    expect(percentile(sorted, 100)).toBe(10);
    expect(percentile([], 95)).toBeNaN();
  });

  it('round: to one decimal place by default, to the digits asked otherwise', () => {
    expect(round(2.345)).toBe(2.3);
    expect(round(2.345, 2)).toBe(2.35);
    expect(round(1234.5678, 0)).toBe(1235);
  });
});
