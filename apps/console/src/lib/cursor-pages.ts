/**
 * Page-numbered navigation over a forward-only cursor connection (`first`/`after`, as `members` and
 * `mergeSuggestions` answer): page n (1-based) is read with the `endCursor` of page n − 1, so only pages
 * up to one past the last one read can be reached. `cursors[i]` is the `after` of page i + 1 (null for
 * the first page).
 */
export interface CursorPages {
  page: number;
  cursors: (string | null)[];
}

/** The state of a fresh list: page 1, read from the start. */
export const FIRST_PAGE: CursorPages = { page: 1, cursors: [null] };

/** The `after` argument of the current page. */
export function afterCursor(state: CursorPages): string | null {
  return state.cursors[state.page - 1] ?? null;
}

/** Records the `endCursor` of the current page, which opens the next page (no-op when there is none). */
export function withEndCursor(state: CursorPages, endCursor: string | null | undefined, hasNextPage: boolean): CursorPages {
  if (!hasNextPage || !endCursor || state.cursors[state.page] === endCursor) return state;
  const cursors = state.cursors.slice(0, state.page);
  cursors.push(endCursor);
  return { ...state, cursors };
}

/** Moves to page `page` if its cursor is known; otherwise stays where it is. */
export function goToPage(state: CursorPages, page: number): CursorPages {
  if (page < 1 || page > state.cursors.length) return state;
  return { ...state, page };
}

/**
 * The `total` to give Ant Design's pagination so that it offers exactly the reachable pages: the pages
 * read so far plus the next one, never more than `totalCount` rows.
 */
export function reachableTotal(state: CursorPages, pageSize: number, totalCount: number): number {
  return Math.min(totalCount, state.cursors.length * pageSize);
}

/**
 * The `total` to give Ant Design's pagination over a connection that does not count its rows (as
 * `digestSends`): on the last page read so far with no page after it, the rows up to its end; otherwise
 * every page read so far plus the next one, full.
 */
export function openEndedTotal(state: CursorPages, pageSize: number, rowsOnPage: number, hasNextPage: boolean): number {
  if (!hasNextPage && state.page >= state.cursors.length) return (state.page - 1) * pageSize + rowsOnPage;
  return state.cursors.length * pageSize;
}

/** What {@link cursorPagination} gives a table: Ant Design's `pagination` prop. */
export interface CursorPagination {
  current: number;
  pageSize: number;
  total: number;
  showSizeChanger: false;
  hideOnSinglePage: true;
  onChange: (page: number) => void;
}

/**
 * Ant Design's `pagination` for a table over a cursor connection: the current page of `state`, `total`
 * rows ({@link reachableTotal}, or {@link openEndedTotal} for a connection without a count), one page
 * size, hidden on a single page; choosing a page moves `state` through `setState` ({@link goToPage}).
 */
export function cursorPagination(
  state: CursorPages,
  setState: (update: (state: CursorPages) => CursorPages) => void,
  pageSize: number,
  total: number,
): CursorPagination {
  return {
    current: state.page,
    pageSize,
    total,
    showSizeChanger: false,
    hideOnSinglePage: true,
    onChange: (page) => setState((current) => goToPage(current, page)),
  };
}
