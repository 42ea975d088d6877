/**
 * The judge's score form as pure functions: what a criterion accepts, the form's starting values from the
 * judge's scores, the `scoreSubmission` calls a filled form makes, and how far a submission is scored.
 * The rules mirror the api's (ScoreSubmissionArgs, JudgingCriterion): a value on the criterion's scale
 * (inclusive), at most 4 decimals; a comment of up to 5,000 characters.
 */

/** A criterion as the form needs it (the api's JudgingCriterion). */
export interface ScoreCriterion {
  id: string;
  scaleMin: number;
  scaleMax: number;
}

/** One of the judge's scores (the api's JudgeScore). */
export interface GivenScore {
  submissionId: string;
  criterionId: string;
  value: number;
  comment: string;
}

/** The form's value for one criterion; `value` is null until the judge gives one. */
export interface ScoreField {
  value: number | null;
  comment: string;
}

/** The form's values, by criterion id. */
export type ScoreFormValues = Record<string, ScoreField>;

/** The variables of one `scoreSubmission` call (the judge and hackathon are added by the caller). */
export interface ScoreCall {
  submission: string;
  criterion: string;
  value: number;
  comment: string | null;
}

/** Longest comment the api takes (characters). */
export const MAX_COMMENT = 5000;

/** Why a value is refused, as a message key below `judging.form.` (null: accepted). */
export type ScoreProblem = 'required' | 'outOfScale' | 'tooPrecise' | null;

/** Whether `value` is a score the api takes for `criterion`: given, within [scaleMin, scaleMax], at most 4 decimals. */
export function scoreProblem(value: number | null | undefined, criterion: ScoreCriterion): ScoreProblem {
  if (value == null || Number.isNaN(value)) return 'required';
  if (value < criterion.scaleMin || value > criterion.scaleMax) return 'outOfScale';
  // 4 decimals, as the api's numeric(…, 4) column keeps them; a float's noise below that is not the judge's
  if (Math.abs(Math.round(value * 1e4) - value * 1e4) > 1e-6) return 'tooPrecise';
  return null;
}

/** The form's starting values for a submission: the judge's earlier value and comment per criterion, else empty. */
export function initialScoreValues(criteria: ScoreCriterion[], scores: GivenScore[], submissionId: string): ScoreFormValues {
  const values: ScoreFormValues = {};
  for (const criterion of criteria) {
    const given = scores.find((score) => score.submissionId === submissionId && score.criterionId === criterion.id);
    values[criterion.id] = { value: given?.value ?? null, comment: given?.comment ?? '' };
  }
  return values;
}

/**
 * The `scoreSubmission` calls a filled form makes, in criterion order: one per criterion whose value or
 * comment differs from the judge's earlier score (re-scoring replaces it; an unchanged one is not sent).
 * Comments are trimmed; an empty one is sent as null (the api stores it as empty). Throws when a value is
 * missing or refused by {@link scoreProblem} (the form validates first, so this is a programming error).
 */
export function scoreCalls(criteria: ScoreCriterion[], scores: GivenScore[], submissionId: string, values: ScoreFormValues): ScoreCall[] {
  const before = initialScoreValues(criteria, scores, submissionId);
  const calls: ScoreCall[] = [];
  for (const criterion of criteria) {
    const field = values[criterion.id];
    const problem = scoreProblem(field?.value, criterion);
    if (problem) throw new Error(`criterion ${criterion.id}: ${problem}`);
    const comment = (field.comment ?? '').trim();
    if (before[criterion.id].value === field.value && before[criterion.id].comment === comment) continue;
    calls.push({ submission: submissionId, criterion: criterion.id, value: field.value!, comment: comment === '' ? null : comment });
  }
  return calls;
}

/** How far the judge scored a submission: every criterion, some, or none (no criteria yet: none). */
export type ScoringState = 'scored' | 'partial' | 'notStarted';

/** The judge's {@link ScoringState} of a submission, and how many criteria they scored. */
export function scoringState(criteria: ScoreCriterion[], scores: GivenScore[], submissionId: string): { state: ScoringState; scored: number } {
  const ids = new Set(criteria.map((criterion) => criterion.id));
  const scored = new Set(scores.filter((score) => score.submissionId === submissionId && ids.has(score.criterionId)).map((score) => score.criterionId)).size;
  const state: ScoringState = scored === 0 ? 'notStarted' : scored === criteria.length ? 'scored' : 'partial';
  return { state, scored };
}
