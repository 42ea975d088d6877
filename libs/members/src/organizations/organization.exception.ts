/** Codes of {@link OrganizationException}; the API maps them by suffix (NOT_FOUND, INVALID, ALREADY_EXISTS, CONFLICT). */
export enum OrganizationExceptionCode {
  /** No organisation, member or affiliation with that id. */
  NOT_FOUND = 'NOT_FOUND',
  /** Malformed input: empty name, bad or webmail domain, a range that ends before it starts, a bad id. */
  INVALID = 'ORGANIZATION_INVALID',
  /** Another organisation has that name (case-insensitive) or owns that domain. */
  ALREADY_EXISTS = 'ORGANIZATION_ALREADY_EXISTS',
  /** A manual affiliation would overlap another manual affiliation of the same member. */
  OVERLAP_CONFLICT = 'AFFILIATION_OVERLAP_CONFLICT',
  /** The operation is for manual affiliations only (automatic ones are recomputed by a job). */
  NOT_MANUAL_INVALID = 'AFFILIATION_NOT_MANUAL_INVALID',
}

/** An organisation or affiliation change that cannot be made as asked, with a message for people. */
export class OrganizationException extends Error {
  constructor(
    message: string,
    readonly code: OrganizationExceptionCode,
  ) {
    super(message);
    this.name = 'OrganizationException';
  }
}
