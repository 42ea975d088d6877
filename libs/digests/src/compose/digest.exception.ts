/** Codes of {@link DigestException}; the API maps them to BAD_USER_INPUT and NOT_FOUND. */
export enum DigestExceptionCode {
  /** A malformed ISO week key, an unknown time zone or locale. */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  /** No such member (or ecosystem). */
  NOT_FOUND = 'NOT_FOUND',
}

/** A digest that cannot be composed as asked, with a message naming the problem. */
export class DigestException extends Error {
  constructor(
    message: string,
    readonly code: DigestExceptionCode,
  ) {
    super(message);
    this.name = 'DigestException';
  }
}
