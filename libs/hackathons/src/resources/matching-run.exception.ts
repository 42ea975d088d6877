/**
 * Codes of {@link MatchingRunException}; the API's error mapper reads the suffix (NOT_FOUND,
 * ALREADY_EXISTS / CONFLICT, INVALID) and answers with the standard GraphQL code.
 */
export enum MatchingRunExceptionCode {
  HACKATHON_NOT_FOUND = 'HACKATHON_NOT_FOUND',
  TEAM_NOT_FOUND = 'TEAM_NOT_FOUND',
  RESOURCE_NOT_FOUND = 'RESOURCE_NOT_FOUND',
  REQUEST_NOT_FOUND = 'REQUEST_NOT_FOUND',
  RUN_NOT_FOUND = 'MATCHING_RUN_NOT_FOUND',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  RESOURCE_ALREADY_EXISTS = 'RESOURCE_ALREADY_EXISTS',
  REQUEST_RANK_CONFLICT = 'REQUEST_RANK_CONFLICT',
  RUN_STATE_CONFLICT = 'MATCHING_RUN_STATE_CONFLICT',
  RESOURCE_INVALID = 'RESOURCE_INVALID',
  REQUEST_INVALID = 'REQUEST_INVALID',
  PIN_INVALID = 'PIN_INVALID',
  PIN_NOT_FOUND = 'PIN_NOT_FOUND',
}

/** A resource, request or matching-run operation refused, with a stable code and a message for people. */
export class MatchingRunException extends Error {
  constructor(
    message: string,
    readonly code: MatchingRunExceptionCode,
  ) {
    super(message);
    this.name = 'MatchingRunException';
  }
}
