import { etagFor, ifNoneMatchMatches } from './etag.js';

describe('etagFor', () => {
  it('derives a quoted weak tag from the body bytes', () => {
    expect(etagFor('[]')).toMatch(/^W\/"[0-9a-f]{40}"$/);
    expect(etagFor('[]')).toBe(etagFor(Buffer.from('[]')));
    expect(etagFor('[1]')).not.toBe(etagFor('[]'));
  });
});

describe('ifNoneMatchMatches', () => {
  const tag = 'W/"abc"';
  it.each([
    [undefined, false],
    ['', false],
    ['W/"abc"', true],
    ['"abc"', true],
    ['"x", W/"abc"', true],
    ['*', true],
    ['"abcd"', false],
  ])('If-None-Match %p matches: %s', (header, expected) => {
    expect(ifNoneMatchMatches(header, tag)).toBe(expected);
  });
});
