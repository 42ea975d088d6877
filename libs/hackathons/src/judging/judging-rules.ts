import type { HackathonStatus } from '../events/hackathon.entity.js';
import { JudgingException, JudgingExceptionCode } from './judging.exception.js';

/** Most decimals a weight, scale bound or score keeps (the columns are `numeric(12, 4)`). */
export const JUDGING_DECIMALS = 4;
/** Largest absolute weight, scale bound or score stored (`numeric(12, 4)` holds 8 integer digits). */
export const JUDGING_MAX_ABS = 99_999_999;

/**
 * Scores are accepted only while the hackathon is `judging`. `running` is refused on purpose:
 * during the event teams still change their submissions, so a score would rate work that is not
 * final, and judges would see each other's partial results before everyone submitted. Criteria,
 * judges and assignments can be set up in any status before `finished`; once `finished`, the
 * results are frozen and every judging change is refused.
 * @throws JudgingException JUDGING_STATUS_CONFLICT naming the status.
 */
export function assertCanScore(status: HackathonStatus): void {
  if (status !== 'judging') {
    throw new JudgingException(
      `scores are accepted only while the hackathon is judging; it is ${status}` +
        (status === 'running' ? ' (submissions can still change until the organisers move it to judging)' : ''),
      JudgingExceptionCode.STATUS,
    );
  }
}

/**
 * Criteria, judges and assignments change in any status but `finished` (its results are final).
 * @throws JudgingException JUDGING_STATUS_CONFLICT when `status` is `finished`.
 */
export function assertCanChangeJudging(status: HackathonStatus): void {
  if (status === 'finished') {
    throw new JudgingException('the hackathon is finished: its judging can no longer change', JudgingExceptionCode.STATUS);
  }
}

/** True when `value` has at most {@link JUDGING_DECIMALS} decimals (compared after scaling, float-safe). */
function hasAtMostDecimals(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

/**
 * Checks one number stored as `numeric(12, 4)`: finite, at most 4 decimals, |x| ≤ 99,999,999.
 * @throws JudgingException JUDGING_INVALID naming `what`.
 */
export function assertStorableNumber(value: number, what: string): void {
  if (!Number.isFinite(value) || Math.abs(value) > JUDGING_MAX_ABS || !hasAtMostDecimals(value, JUDGING_DECIMALS)) {
    throw new JudgingException(
      `${what} must be a number between -${JUDGING_MAX_ABS} and ${JUDGING_MAX_ABS} with at most ${JUDGING_DECIMALS} decimals; got ${value}`,
      JudgingExceptionCode.INVALID,
    );
  }
}

/** A criterion's weight and scale. */
export interface CriterionScale {
  name: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
}

/**
 * Validates a criterion's weight (> 0) and scale (max above min).
 * @throws JudgingException JUDGING_INVALID naming the field.
 */
export function assertCriterionScale({ weight, scaleMin, scaleMax }: Omit<CriterionScale, 'name'>): void {
  assertStorableNumber(weight, 'weight');
  assertStorableNumber(scaleMin, 'scaleMin');
  assertStorableNumber(scaleMax, 'scaleMax');
  if (weight <= 0) throw new JudgingException(`weight must be greater than 0; got ${weight}`, JudgingExceptionCode.INVALID);
  if (scaleMax <= scaleMin) {
    throw new JudgingException(`scaleMax (${scaleMax}) must be greater than scaleMin (${scaleMin})`, JudgingExceptionCode.INVALID);
  }
}

/**
 * A score must lie on its criterion's closed scale `[scaleMin, scaleMax]` (both bounds allowed).
 * @throws JudgingException SCORE_OUT_OF_SCALE_INVALID naming the criterion and its scale.
 */
export function assertScoreInScale(value: number, criterion: CriterionScale): void {
  const inScale =
    Number.isFinite(value) && value >= criterion.scaleMin && value <= criterion.scaleMax && hasAtMostDecimals(value, JUDGING_DECIMALS);
  if (!inScale) {
    throw new JudgingException(
      `score ${value} is outside the scale of "${criterion.name}": a number from ${criterion.scaleMin} to ${criterion.scaleMax} ` +
        `with at most ${JUDGING_DECIMALS} decimals`,
      JudgingExceptionCode.SCORE_OUT_OF_SCALE,
    );
  }
}

/** Why a judge may not judge a submission. */
export type JudgeConflict =
  | { kind: 'same_team'; teamName: string }
  | { kind: 'same_organization'; organizationName: string; teamMemberLabel: string };

/**
 * The exception for a conflict of interest, naming it (the judge's team, or the organisation and
 * the team member they share it with).
 */
export function conflictException(judgeLabel: string, submissionTitle: string, conflict: JudgeConflict): JudgingException {
  if (conflict.kind === 'same_team') {
    return new JudgingException(
      `conflict of interest: judge ${judgeLabel} is a member of team "${conflict.teamName}", which made submission "${submissionTitle}"`,
      JudgingExceptionCode.SAME_TEAM,
    );
  }
  return new JudgingException(
    `conflict of interest: judge ${judgeLabel} and ${conflict.teamMemberLabel}, a member of the team behind submission ` +
      `"${submissionTitle}", are both with organisation "${conflict.organizationName}"`,
    JudgingExceptionCode.SAME_ORGANIZATION,
  );
}
