/**
 * Codes of {@link QueryException}; the API's error mapper turns each into the GraphQL
 * `extensions.code` of the same name.
 */
export enum QueryExceptionCode {
  /** A referenced thing (repository, member, ecosystem) does not exist. */
  NOT_FOUND = 'NOT_FOUND',
  /** An argument is out of range or malformed (e.g. `first` above 100, a foreign cursor). */
  BAD_USER_INPUT = 'BAD_USER_INPUT',
}

/** A read-model request that cannot be answered as asked, with a stable code and a message for people. */
export class QueryException extends Error {
  constructor(
    message: string,
    readonly code: QueryExceptionCode,
  ) {
    super(message);
    this.name = 'QueryException';
  }
}
