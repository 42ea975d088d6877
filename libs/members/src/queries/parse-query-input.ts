import type { z } from 'zod';
import { QueryException, QueryExceptionCode } from './query.exception.js';

/**
 * Validates read-model arguments with a zod schema.
 * @throws QueryException BAD_USER_INPUT naming each bad argument, e.g. `first: must be at most 100`.
 */
export function parseQueryInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw new QueryException(`Invalid arguments: ${detail}`, QueryExceptionCode.BAD_USER_INPUT);
}
