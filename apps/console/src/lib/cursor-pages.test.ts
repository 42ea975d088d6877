import { describe, expect, it } from 'vitest';
import { afterCursor, cursorPagination, FIRST_PAGE, goToPage, openEndedTotal, reachableTotal, withEndCursor } from './cursor-pages.js';

describe('cursor pages', () => {
  it('opens the next page once the current one gives its end cursor, and reads it with that cursor', () => {
    let state = withEndCursor(FIRST_PAGE, 'c1', true);
    expect(reachableTotal(state, 20, 95)).toBe(40);
    state = goToPage(state, 2);
    expect(afterCursor(state)).toBe('c1');
    state = withEndCursor(state, 'c2', true);
    expect(goToPage(state, 4)).toBe(state); // page 4 needs page 3's end cursor
    state = goToPage(state, 3);
    expect(afterCursor(state)).toBe('c2');
  });

  it('offers no page past the last one, and never more rows than the total', () => {
    const last = withEndCursor(FIRST_PAGE, 'c1', false);
    expect(last.cursors).toEqual([null]);
    expect(reachableTotal(last, 20, 7)).toBe(7);
    expect(reachableTotal(withEndCursor(FIRST_PAGE, 'c1', true), 20, 25)).toBe(25);
  });

  it('forgets cursors past the current page when it is read again with another end cursor', () => {
    let state = withEndCursor(FIRST_PAGE, 'c1', true);
    state = withEndCursor(goToPage(state, 2), 'c2', true);
    state = withEndCursor(goToPage(state, 1), 'other', true);
    expect(state.cursors).toEqual([null, 'other']);
    expect(afterCursor(goToPage(state, 2))).toBe('other');
  });

  it('pages a connection without a count: the pages read and the next one, then the exact end on the last page', () => {
    expect(openEndedTotal(FIRST_PAGE, 20, 20, true)).toBe(20); // before the end cursor is recorded: page 1 only
    let state = withEndCursor(FIRST_PAGE, 'c1', true);
    expect(openEndedTotal(state, 20, 20, true)).toBe(40);
    state = withEndCursor(goToPage(state, 2), 'c2', false);
    expect(openEndedTotal(state, 20, 7, false)).toBe(27);
    // back on page 1 after reading the last page: both pages still offered
    expect(openEndedTotal(goToPage(state, 1), 20, 20, true)).toBe(40);
    expect(openEndedTotal(FIRST_PAGE, 20, 0, false)).toBe(0);
  });
});

describe('cursorPagination', () => {
  it('shows the current page, one size and the total, and moves only to reachable pages', () => {
    let state = withEndCursor(FIRST_PAGE, 'c1', true);
    const pagination = cursorPagination(state, (update) => (state = update(state)), 20, 40);
    expect(pagination).toMatchObject({ current: 1, pageSize: 20, total: 40, showSizeChanger: false, hideOnSinglePage: true });
    pagination.onChange(3);
    expect(state.page).toBe(1);
    pagination.onChange(2);
    expect(state.page).toBe(2);
  });
});
