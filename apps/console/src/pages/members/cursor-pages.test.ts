import { describe, expect, it } from 'vitest';
import { afterCursor, FIRST_PAGE, goToPage, reachableTotal, withEndCursor } from './cursor-pages.js';

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
});
