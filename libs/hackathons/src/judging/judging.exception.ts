/**
 * Codes of {@link JudgingException}. The GraphQL mapper reads the suffix (NOT_FOUND, ALREADY_EXISTS,
 * CONFLICT, INVALID) and passes the code itself as `extensions.reason`, so a caller can tell
 * which conflict of interest refused an assignment.
 */
export enum JudgingExceptionCode {
  HACKATHON_NOT_FOUND = 'HACKATHON_NOT_FOUND',
  SUBMISSION_NOT_FOUND = 'SUBMISSION_NOT_FOUND',
  CRITERION_NOT_FOUND = 'CRITERION_NOT_FOUND',
  JUDGE_NOT_FOUND = 'JUDGE_NOT_FOUND',
  ASSIGNMENT_NOT_FOUND = 'ASSIGNMENT_NOT_FOUND',
  /** Malformed input: empty name, weight not > 0, scale max not above min, a malformed id. */
  INVALID = 'JUDGING_INVALID',
  /** A score outside its criterion's scale (or not a number with at most 4 decimals). */
  SCORE_OUT_OF_SCALE = 'SCORE_OUT_OF_SCALE_INVALID',
  /** Another criterion of the hackathon has that name (case-insensitive). */
  CRITERION_ALREADY_EXISTS = 'CRITERION_ALREADY_EXISTS',
  /** The member already judges the hackathon. */
  JUDGE_ALREADY_EXISTS = 'JUDGE_ALREADY_EXISTS',
  /** A criterion change would leave existing scores outside its scale, or delete scores. */
  CRITERION_IN_USE = 'CRITERION_IN_USE_CONFLICT',
  /** The hackathon's status does not allow the operation (e.g. scoring outside `judging`). */
  STATUS = 'JUDGING_STATUS_CONFLICT',
  /** The judge is not assigned to the submission they score. */
  NOT_ASSIGNED = 'JUDGE_NOT_ASSIGNED_CONFLICT',
  /** Conflict of interest: the judge is a member of the submission's team. */
  SAME_TEAM = 'JUDGE_ON_TEAM_CONFLICT',
  /** Conflict of interest: the judge and a team member are with the same organisation now. */
  SAME_ORGANIZATION = 'JUDGE_SAME_ORGANIZATION_CONFLICT',
}

/** A judging operation that cannot be done as asked, with a message for people. */
export class JudgingException extends Error {
  constructor(
    message: string,
    readonly code: JudgingExceptionCode,
  ) {
    super(message);
    this.name = 'JudgingException';
  }
}
