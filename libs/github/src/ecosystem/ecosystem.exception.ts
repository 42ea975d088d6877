/** Why an ecosystem operation was refused; mapped to GraphQL `extensions.code` and HTTP statuses. */
export enum EcosystemExceptionCode {
  /** No ecosystem (or tracked source) matches. */
  NOT_FOUND = 'ECOSYSTEM_NOT_FOUND',
  /** An ecosystem with that slug exists already. */
  ALREADY_EXISTS = 'ECOSYSTEM_ALREADY_EXISTS',
  /** The slug or name does not follow the rules (lower-case letters, digits, hyphens). */
  INVALID_SLUG = 'ECOSYSTEM_INVALID_SLUG',
  /** A tracked source is not a valid GitHub login or `owner/name`, or names no kind. */
  INVALID_SOURCE = 'ECOSYSTEM_INVALID_SOURCE',
}

/** A refused ecosystem operation, with a code the callers can map. */
export class EcosystemException extends Error {
  constructor(
    message: string,
    readonly code: EcosystemExceptionCode,
  ) {
    super(message);
    this.name = 'EcosystemException';
  }
}
