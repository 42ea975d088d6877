import { lastPerKey } from './distinct-items.js';

describe('lastPerKey', () => {
  it('keeps one item per key: the last occurrence, in the place of the first', () => {
    const items = [
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
      { id: 1, v: 'c' },
    ];
    expect(lastPerKey(items, (item) => item.id)).toEqual([
      { id: 1, v: 'c' },
      { id: 2, v: 'b' },
    ]);
  });

  it('returns a copy of a list without repeated keys, and nothing for nothing', () => {
    const items = [{ id: 1 }, { id: 2 }];
    expect(lastPerKey(items, (item) => item.id)).toEqual(items);
    expect(lastPerKey(items, (item) => item.id)).not.toBe(items);
    expect(lastPerKey([], () => 1)).toEqual([]);
  });
});
