import { connectionEstimator } from './query-cost.js';

describe('connectionEstimator', () => {
  it.each([
    [{ first: 100 }, 3, 301],
    [{ first: 10 }, 0, 11],
    [{ first: 100000 }, 1, 101],
    [{}, 3, undefined],
    [{ first: 0 }, 3, undefined],
  ])('args %j with child cost %i → %s', (args, childComplexity, expected) => {
    expect(connectionEstimator({ args, childComplexity } as never)).toBe(expected);
  });
});
