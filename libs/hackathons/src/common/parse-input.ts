import type { z } from 'zod';
import { badInput } from './hackathon.exception.js';

/**
 * Parses `value` with a zod schema; a failure becomes one HackathonException BAD_USER_INPUT whose
 * message names each offending argument (`slug: must be ...; maxTeamSize: ...`).
 */
export function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  throw badInput(`Invalid arguments: ${detail}`);
}
