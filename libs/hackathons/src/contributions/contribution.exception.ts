/** Codes of {@link ContributionException}; the API maps them by suffix (NOT_FOUND, INVALID, CONFLICT). */
export enum ContributionExceptionCode {
  /** No hackathon with that id or slug, or no contribution with that subject key in it. */
  NOT_FOUND = 'HACKATHON_CONTRIBUTION_NOT_FOUND',
  /** Malformed input: an empty or overlong override reason, a malformed subject key or slug. */
  INVALID = 'HACKATHON_CONTRIBUTION_INVALID',
  /** Nothing to revoke: the subject has no active override. */
  NO_OVERRIDE_CONFLICT = 'HACKATHON_CONTRIBUTION_NO_OVERRIDE_CONFLICT',
}

/** A contribution query or override that cannot be made as asked, with a message for people. */
export class ContributionException extends Error {
  constructor(
    message: string,
    readonly code: ContributionExceptionCode,
  ) {
    super(message);
    this.name = 'ContributionException';
  }
}
