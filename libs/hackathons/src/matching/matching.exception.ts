/** Why a matching problem was refused; mapped to GraphQL `extensions.code` (BAD_USER_INPUT). */
export enum MatchingExceptionCode {
  /** A team, resource or candidate is malformed (duplicate id, unknown id, negative or fractional amount). */
  INVALID_PROBLEM = 'MATCHING_INVALID_PROBLEM',
  /** A pin cannot be honoured (over capacity, over the per-team maximum, not a candidate, duplicate). */
  INVALID_PIN = 'MATCHING_INVALID_PIN',
  /** Weights are negative or fractional, the first-unit bonus does not dominate, or the sums could pass 2^53. */
  INVALID_WEIGHTS = 'MATCHING_INVALID_WEIGHTS',
}

/** A refused matching problem, with a code the callers can map. */
export class MatchingException extends Error {
  constructor(
    message: string,
    readonly code: MatchingExceptionCode,
  ) {
    super(message);
    this.name = 'MatchingException';
  }
}
