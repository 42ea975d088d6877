import { parseLinkHeader, relativeToBase } from './link-header.js';

describe('parseLinkHeader', () => {
  it.each([
    [
      // shape of a recorded api.github.com answer (shared/data/third_party hub4j recordings)
      '<https://api.github.com/repositories/617210/issues?state=all&page=2>; rel="next", <https://api.github.com/repositories/617210/issues?state=all&page=35>; rel="last"',
      {
        next: 'https://api.github.com/repositories/617210/issues?state=all&page=2',
        last: 'https://api.github.com/repositories/617210/issues?state=all&page=35',
      },
    ],
    [
      '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=1>; rel="first"',
      { prev: 'https://api.github.com/x?page=1', first: 'https://api.github.com/x?page=1' },
    ],
    ['<http://127.0.0.1:3100/x?after=abc>; rel=next', { next: 'http://127.0.0.1:3100/x?after=abc' }],
    ['<https://a/x?page=3>; rel="next last"', { next: 'https://a/x?page=3', last: 'https://a/x?page=3' }],
    ['', {}],
    [undefined, {}],
  ])('parses %j', (header, expected) => {
    expect(parseLinkHeader(header)).toEqual(expected);
  });
});

describe('relativeToBase', () => {
  it.each([
    ['https://api.github.com/repos/o/r/commits?page=2', 'https://api.github.com', '/repos/o/r/commits?page=2'],
    ['https://ghe.example/api/v3/repositories/1/pulls?page=2', 'https://ghe.example/api/v3/', '/repositories/1/pulls?page=2'],
    ['http://127.0.0.1:3100/repos/o/r/pulls?page=3', 'http://127.0.0.1:3100', '/repos/o/r/pulls?page=3'],
    ['https://elsewhere.example/x?page=2', 'https://api.github.com', 'https://elsewhere.example/x?page=2'],
    ['/repos/o/r/commits?page=2', 'https://api.github.com', '/repos/o/r/commits?page=2'],
  ])('%s against %s → %s', (url, base, expected) => {
    expect(relativeToBase(url, base)).toBe(expected);
  });
});
