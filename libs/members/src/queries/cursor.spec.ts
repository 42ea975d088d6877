import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import { QueryException } from './query.exception.js';

const memberCursor = z.tuple([z.number().int(), z.uuid()]);

describe('cursors', () => {
  it('round-trips values for their own connection', () => {
    const cursor = encodeCursor('members', [7, '5b0f8a4e-8d1c-4d59-9a43-0c7a4f1f3b11']);
    expect(decodeCursor('members', cursor, memberCursor)).toEqual([7, '5b0f8a4e-8d1c-4d59-9a43-0c7a4f1f3b11']);
  });

  it.each([
    ['garbage', 'not a cursor at all'],
    ['another connection', encodeCursor('activities', [7, '5b0f8a4e-8d1c-4d59-9a43-0c7a4f1f3b11'])],
    ['wrong value types', encodeCursor('members', ['7', 'x'])],
    ['JSON that is not an array', Buffer.from('{"a":1}').toString('base64url')],
  ])('refuses %s with BAD_USER_INPUT', (_label, cursor) => {
    expect(() => decodeCursor('members', cursor, memberCursor)).toThrow(QueryException);
    try {
      decodeCursor('members', cursor, memberCursor);
    } catch (error) {
      expect((error as QueryException).code).toBe('BAD_USER_INPUT');
    }
  });
});
