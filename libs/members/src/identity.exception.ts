/** Codes of {@link IdentityException}; the API's error mapper reads the standard suffixes. */
export enum IdentityExceptionCode {
  /** An argument is malformed (a login GitHub could not have issued, an empty reason). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** A member, merge or suggestion does not exist. */
  NOT_FOUND = 'NOT_FOUND',
  /** The request contradicts the stored state (a member already merged, a merge already undone). */
  CONFLICT = 'CONFLICT',
}

/** An identity or merge request that cannot be carried out as asked, with a stable code. */
export class IdentityException extends Error {
  constructor(
    message: string,
    readonly code: IdentityExceptionCode,
  ) {
    super(message);
    this.name = 'IdentityException';
  }
}
