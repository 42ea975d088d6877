/** Codes of {@link AccessException}; the API's error mapper reads the standard suffixes. */
export enum AccessExceptionCode {
  /** A malformed argument (a scope with both or neither of ecosystem and hackathon, a malformed id). */
  INVALID = 'ACCESS_INVALID',
  /** No such member, ecosystem, hackathon or grant. */
  NOT_FOUND = 'ACCESS_NOT_FOUND',
  /** The grant exists already, or was revoked already. */
  CONFLICT = 'ACCESS_CONFLICT',
}

/** A refused change of access grants, with a stable code. */
export class AccessException extends Error {
  constructor(
    message: string,
    readonly code: AccessExceptionCode,
  ) {
    super(message);
    this.name = 'AccessException';
  }
}
