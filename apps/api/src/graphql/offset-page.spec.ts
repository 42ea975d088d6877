import { QueryException } from '#libs/members';
import { offsetPage } from './offset-page.js';

describe('offsetPage', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it.each<[string, { first?: number | null; offset?: number | null }, string[]]>([
    ['the first page', { first: 2 }, ['a', 'b']],
    ['a middle page', { first: 2, offset: 2 }, ['c', 'd']],
    ['the last, short page', { first: 2, offset: 4 }, ['e']],
    ['past the end: empty', { first: 2, offset: 9 }, []],
    ['no first: the rest', { offset: 3 }, ['d', 'e']],
    ['nothing given: all', {}, items],
  ])('%s', (_name, page, rows) => {
    expect(offsetPage(items, page)).toEqual({ rows, offset: page.offset ?? 0, totalCount: 5 });
  });

  it.each<[{ first?: number; offset?: number }, RegExp]>([
    [{ offset: -1 }, /^Invalid offset -1: give a whole number of 0 or more$/],
    [{ offset: 1.5 }, /^Invalid offset 1.5/],
    [{ first: 0 }, /^Invalid first 0: give a whole number of 1 or more$/],
  ])('refuses %j naming the argument', (page, message) => {
    expect(() => offsetPage(items, page)).toThrow(QueryException);
    expect(() => offsetPage(items, page)).toThrow(message);
  });
});
