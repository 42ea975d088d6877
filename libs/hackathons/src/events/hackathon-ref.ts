import { z } from 'zod';
import { badInput } from '../common/hackathon.exception.js';

const uuid = z.uuid();

/**
 * Validates an id (UUID) of a hackathon, team, registration or submission; `what` names it in the error.
 * @returns the id, lower-cased.
 * @throws HackathonException BAD_USER_INPUT when it is not a UUID.
 */
export function parseUuid(value: string, what: string): string {
  if (!uuid.safeParse(value.trim()).success) throw badInput(`"${value}" is not a ${what} id (a UUID)`);
  return value.trim().toLowerCase();
}
