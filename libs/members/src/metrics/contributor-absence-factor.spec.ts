import { contributorAbsenceFactor } from './contributor-absence-factor.js';

describe('contributorAbsenceFactor', () => {
  it.each([
    [[], 0],
    [[0, 0], 0],
    [[10], 1],
    [[5, 5], 1],
    [[4, 3, 3], 2],
    [[1, 1, 1, 1], 2],
    [[1, 1, 1, 1, 1], 3],
    [[90, 5, 5], 1],
    [[3, 10, 2, 5], 1],
    [[2, 2, 2, 2, 2, 10], 1],
    [[2, 2, 2, 2, 2, 9], 2],
  ])('%j → %d', (counts, factor) => {
    expect(contributorAbsenceFactor(counts)).toBe(factor);
  });

  it('refuses negative or fractional counts', () => {
    expect(() => contributorAbsenceFactor([1, -1])).toThrow(RangeError);
    expect(() => contributorAbsenceFactor([1.5])).toThrow(/non-negative integers/);
  });
});
