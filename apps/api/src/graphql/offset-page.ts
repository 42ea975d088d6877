import { QueryException, QueryExceptionCode } from '#libs/members';

/** One page of a list cut by offset: the page's items, how many were skipped, how many there are in all. */
export interface OffsetPage<T> {
  rows: T[];
  offset: number;
  totalCount: number;
}

/**
 * The page of `items` that skips `offset` (0 when absent) and holds at most `first` items (every remaining
 * one when absent); an offset past the end gives an empty page. `first` itself is capped before this
 * runs (the page-size rule, page-size.ts: 1–100).
 * @throws QueryException BAD_USER_INPUT for an offset that is not a whole number of 0 or more, or a
 * `first` below 1.
 */
export function offsetPage<T>(items: readonly T[], page: { first?: number | null; offset?: number | null }): OffsetPage<T> {
  const offset = page.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new QueryException(`Invalid offset ${offset}: give a whole number of 0 or more`, QueryExceptionCode.BAD_USER_INPUT);
  }
  const first = page.first ?? null;
  if (first !== null && (!Number.isInteger(first) || first < 1)) {
    throw new QueryException(`Invalid first ${first}: give a whole number of 1 or more`, QueryExceptionCode.BAD_USER_INPUT);
  }
  return { rows: items.slice(offset, first === null ? undefined : offset + first), offset, totalCount: items.length };
}
