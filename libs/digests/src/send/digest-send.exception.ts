/**
 * Codes of {@link DigestSendException}. The GraphQL error mapper reads the suffix (NOT_FOUND, INVALID);
 * the unsubscribe and preferences routes map them to HTTP statuses (see apps/api digests/send).
 */
export enum DigestSendExceptionCode {
  /** A token that is not one Cambrian issues (wrong shape). HTTP 400. */
  TOKEN_INVALID = 'DIGEST_TOKEN_INVALID',
  /** A well-formed token whose signature does not verify, or a token of another purpose. HTTP 403. */
  TOKEN_REFUSED = 'DIGEST_TOKEN_REFUSED',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  /** The member has no e-mail preferences (no address known). */
  PREFERENCES_NOT_FOUND = 'EMAIL_PREFERENCES_NOT_FOUND',
  /** An address, time zone, locale or week that does not parse. */
  PREFERENCES_INVALID = 'EMAIL_PREFERENCES_INVALID',
  WEEK_INVALID = 'DIGEST_WEEK_INVALID',
  LEDGER_QUERY_INVALID = 'DIGEST_LEDGER_QUERY_INVALID',
}

/** A digest-sending operation refused, with a stable code and a message for people. */
export class DigestSendException extends Error {
  constructor(
    message: string,
    readonly code: DigestSendExceptionCode,
  ) {
    super(message);
    this.name = 'DigestSendException';
  }
}
