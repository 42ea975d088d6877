import { advanceListing, laterInstant, readListingCursor, type ListingCursor, type ListingPage } from './listing-cursor.js';

const page = (overrides: Partial<ListingPage>): ListingPage => ({
  first: true,
  instants: [],
  next: null,
  etag: null,
  ...overrides,
});

describe('advanceListing', () => {
  it.each<[string, ListingCursor, ListingPage, ReturnType<typeof advanceListing>]>([
    [
      'a first backfill page with a next link saves the pass and its first-page ETag',
      {},
      page({ instants: ['2024-03-02T00:00:00Z', '2024-03-01T00:00:00Z'], next: '/repos/o/r/commits?page=2', etag: 'W/"a"' }),
      {
        done: false,
        etag: 'W/"a"',
        cursor: { pass: { next: '/repos/o/r/commits?page=2', etag: 'W/"a"', newest: '2024-03-02T00:00:00.000Z', pages: 1 } },
      },
    ],
    [
      'the last page completes the pass: watermark = newest instant seen, ETag of the first page',
      { pass: { next: '/x?page=2', etag: 'W/"a"', newest: '2024-03-02T00:00:00.000Z', pages: 1 } },
      page({ first: false, instants: ['2023-01-01T00:00:00Z'], next: null, etag: 'W/"page2"' }),
      { done: true, etag: 'W/"a"', cursor: { watermark: '2024-03-02T00:00:00.000Z' } },
    ],
    [
      'an incremental pass stops at the first page holding an item older than the watermark',
      { watermark: '2024-03-02T00:00:00.000Z' },
      page({ instants: ['2024-05-01T00:00:00Z', '2024-03-01T23:59:59Z'], next: '/x?page=2', etag: 'W/"b"' }),
      { done: true, etag: 'W/"b"', cursor: { watermark: '2024-05-01T00:00:00.000Z' } },
    ],
    [
      'an incremental pass whose page is all newer than the watermark goes on',
      { watermark: '2024-03-02T00:00:00.000Z' },
      page({ instants: ['2024-05-01T00:00:00Z', '2024-03-02T00:00:00Z'], next: '/x?page=2', etag: 'W/"b"' }),
      {
        done: false,
        etag: 'W/"b"',
        cursor: {
          watermark: '2024-03-02T00:00:00.000Z',
          pass: { next: '/x?page=2', etag: 'W/"b"', newest: '2024-05-01T00:00:00.000Z', pages: 1 },
        },
      },
    ],
    [
      'an empty listing completes with no watermark',
      {},
      page({ instants: [], next: null, etag: 'W/"empty"' }),
      { done: true, etag: 'W/"empty"', cursor: {} },
    ],
    [
      'instants with offsets compare as instants, not strings',
      { watermark: '2024-03-02T00:00:00.000Z' },
      page({ instants: ['2024-03-02T07:00:00+08:00'], next: '/x?page=2', etag: null }),
      { done: true, etag: null, cursor: { watermark: '2024-03-02T00:00:00.000Z' } },
    ],
  ])('%s', (_label, cursor, input, expected) => {
    expect(advanceListing(cursor, input)).toEqual(expected);
  });
});

describe('readListingCursor', () => {
  it.each([
    [null, {}],
    [{ watermark: 'not a date', pass: { next: '' } }, {}],
    [
      { watermark: '2024-01-01T00:00:00.000Z', pass: { next: '/x?page=3', etag: 'W/"e"', newest: null, pages: 2 } },
      { watermark: '2024-01-01T00:00:00.000Z', pass: { next: '/x?page=3', etag: 'W/"e"', newest: null, pages: 2 } },
    ],
  ])('reads %j', (raw, expected) => {
    expect(readListingCursor(raw)).toEqual(expected);
  });
});

describe('laterInstant', () => {
  it.each([
    [null, null, null],
    ['2024-01-01T00:00:00Z', null, '2024-01-01T00:00:00.000Z'],
    ['2024-01-01T00:00:00Z', '2024-01-01T09:00:00+08:00', '2024-01-01T01:00:00.000Z'],
  ])('%s vs %s → %s', (a, b, expected) => {
    expect(laterInstant(a, b)).toBe(expected);
  });
});
