import { buildLinkHeader, parsePageParams, slicePage } from './pagination.js';

describe('parsePageParams', () => {
  it.each([
    [undefined, undefined, { perPage: 30, page: 1 }],
    ['100', '3', { perPage: 100, page: 3 }],
    ['250', '1', { perPage: 100, page: 1 }],
    ['0', '0', { perPage: 30, page: 1 }],
    ['abc', '-2', { perPage: 30, page: 1 }],
    ['7', '2.5', { perPage: 7, page: 1 }],
  ])('reads per_page=%p page=%p', (perPage, page, expected) => {
    expect(parsePageParams(perPage, page)).toEqual(expected);
  });
});

describe('slicePage', () => {
  it.each([
    [0, 30, 1, 0, 1],
    [903, 100, 10, 3, 10],
    [903, 100, 11, 0, 10],
    [30, 30, 1, 30, 1],
  ])('pages %i items by %i: page %i has %i items of %i pages', (total, perPage, page, count, lastPage) => {
    const items = Array.from({ length: total }, (_, i) => i);
    const result = slicePage(items, { perPage, page });
    expect(result.items).toHaveLength(count);
    expect(result.lastPage).toBe(lastPage);
  });
});

describe('buildLinkHeader', () => {
  const url = new URL('http://127.0.0.1:3100/repos/BlinkDL/RWKV-LM/commits?per_page=100&page=2&since=2024-01-01T00%3A00%3A00Z');

  it('writes prev, next, last, first on a middle page, keeping the other parameters and moving page last', () => {
    expect(buildLinkHeader(url, 2, 10)).toBe(
      [
        '<http://127.0.0.1:3100/repos/BlinkDL/RWKV-LM/commits?per_page=100&since=2024-01-01T00%3A00%3A00Z&page=1>; rel="prev"',
        '<http://127.0.0.1:3100/repos/BlinkDL/RWKV-LM/commits?per_page=100&since=2024-01-01T00%3A00%3A00Z&page=3>; rel="next"',
        '<http://127.0.0.1:3100/repos/BlinkDL/RWKV-LM/commits?per_page=100&since=2024-01-01T00%3A00%3A00Z&page=10>; rel="last"',
        '<http://127.0.0.1:3100/repos/BlinkDL/RWKV-LM/commits?per_page=100&since=2024-01-01T00%3A00%3A00Z&page=1>; rel="first"',
      ].join(', '),
    );
  });

  it.each([
    [1, 10, ['next', 'last']],
    [10, 10, ['prev', 'first']],
    [12, 10, ['prev', 'first']],
  ])('on page %i of %i writes the relations %j', (page, last, rels) => {
    const header = buildLinkHeader(url, page, last)!;
    expect([...header.matchAll(/rel="(\w+)"/g)].map((m) => m[1])).toEqual(rels);
  });

  it('writes no header when the only page is asked for', () => {
    expect(buildLinkHeader(url, 1, 1)).toBeUndefined();
  });
});
