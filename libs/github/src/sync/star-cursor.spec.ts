import { readStarCursor, starTailAfter } from './star-cursor.js';

describe('readStarCursor', () => {
  it.each<[string, unknown, ReturnType<typeof readStarCursor>]>([
    ['nothing stored: page 1, count 0, never re-listed', {}, { tailPage: 1, count: 0 }],
    ['null', null, { tailPage: 1, count: 0 }],
    [
      'a stored cursor',
      { tailPage: 3, count: 250, relistedAt: '2026-01-01T00:00:00.000Z', drift: 2 },
      { tailPage: 3, count: 250, relistedAt: '2026-01-01T00:00:00.000Z', drift: 2 },
    ],
    ['wrong types are ignored', { tailPage: '3', count: -1, relistedAt: 'yesterday' }, { tailPage: 1, count: 0 }],
    ['page 0 is not a page', { tailPage: 0, count: 5 }, { tailPage: 1, count: 5 }],
  ])('%s', (_name, raw, expected) => {
    expect(readStarCursor(raw)).toEqual(expected);
  });
});

describe('starTailAfter', () => {
  it.each<[string, [number, number, string | null], { page: number; etag: string | null }]>([
    ['a partly filled last page is asked again with its ETag', [3, 42, 'W/"a"'], { page: 3, etag: 'W/"a"' }],
    ['a full last page: the next star goes to the next page, asked without an ETag', [3, 100, 'W/"a"'], { page: 4, etag: null }],
    ['an empty first page', [1, 0, 'W/"e"'], { page: 1, etag: 'W/"e"' }],
  ])('%s', (_name, [page, count, etag], expected) => {
    expect(starTailAfter(page, count, etag, 100)).toEqual(expected);
  });
});
