import type { z } from 'zod';
import { QueryException, QueryExceptionCode } from './query.exception.js';

/**
 * Opaque cursors: base64url of `[kind, ...values]` JSON. The kind tag keeps a cursor of one
 * connection from being used on another. Clients must treat cursors as opaque strings.
 */
export function encodeCursor(kind: string, values: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify([kind, ...values]), 'utf8').toString('base64url');
}

/**
 * Reads a cursor made by {@link encodeCursor} for `kind`, validating its values.
 * @throws QueryException BAD_USER_INPUT for anything else (garbage, another connection's cursor).
 */
export function decodeCursor<Schema extends z.ZodType>(kind: string, cursor: string, values: Schema): z.output<Schema> {
  const invalid = () =>
    new QueryException(`Invalid cursor "${cursor}": use a cursor from this connection`, QueryExceptionCode.BAD_USER_INPUT);
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded[0] !== kind) throw invalid();
  const parsed = values.safeParse(decoded.slice(1));
  if (!parsed.success) throw invalid();
  return parsed.data;
}
