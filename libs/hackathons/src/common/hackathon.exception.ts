/** Codes of {@link HackathonException}; the API's error mapper reads the standard suffixes. */
export enum HackathonExceptionCode {
  /** An argument is malformed or breaks a rule of the event (slug format, window order, team sizes). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** A hackathon, member, team, submission, repository or pull request does not exist. */
  NOT_FOUND = 'NOT_FOUND',
  /** Something with the same key exists (a slug, a registration, a team name). */
  ALREADY_EXISTS = 'ALREADY_EXISTS',
  /** The request contradicts the stored state (wrong status, a full team, already in a team). */
  CONFLICT = 'CONFLICT',
}

/** A hackathon request that cannot be carried out as asked, with a stable code and a message for people. */
export class HackathonException extends Error {
  constructor(
    message: string,
    readonly code: HackathonExceptionCode,
  ) {
    super(message);
    this.name = 'HackathonException';
  }
}

export const badInput = (message: string) => new HackathonException(message, HackathonExceptionCode.BAD_USER_INPUT);
export const notFound = (message: string) => new HackathonException(message, HackathonExceptionCode.NOT_FOUND);
export const conflict = (message: string) => new HackathonException(message, HackathonExceptionCode.CONFLICT);
export const alreadyExists = (message: string) => new HackathonException(message, HackathonExceptionCode.ALREADY_EXISTS);

/** The Postgres error behind a TypeORM QueryFailedError (or the pg error itself). */
export function pgErrorOf(error: unknown): { code?: string; constraint?: string } {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  return { code: e.driverError?.code ?? e.code, constraint: e.driverError?.constraint ?? e.constraint };
}

/** True for a unique violation (SQLSTATE 23505), optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const pg = pgErrorOf(error);
  return pg.code === '23505' && (constraint === undefined || pg.constraint === constraint);
}
