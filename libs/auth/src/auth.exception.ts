/**
 * Codes of {@link AuthException}; the API's error mapper turns each into the GraphQL
 * `extensions.code` of the same name (and an HTTP status where one applies).
 */
export enum AuthExceptionCode {
  /** No credentials, or credentials that are malformed, unknown, expired or revoked (HTTP 401). */
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  /** Valid credentials without the role the operation needs (HTTP 403). */
  FORBIDDEN = 'FORBIDDEN',
  /** An argument failed validation (e.g. an expiry in the past). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** No API token with the given id. */
  NOT_FOUND = 'NOT_FOUND',
}

/** A failure of authentication, authorisation or token management, with a stable code. */
export class AuthException extends Error {
  constructor(
    message: string,
    readonly code: AuthExceptionCode,
  ) {
    super(message);
    this.name = 'AuthException';
  }
}
