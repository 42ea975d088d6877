/**
 * Judging results, computed from criteria and scores (pure).
 *
 * - Weighted total of one judge for one submission, 0–100: each value is placed on its
 *   criterion's scale (scaleMin → 0, scaleMax → 1), the weighted mean of those fractions
 *   (Σ weight·fraction / Σ weight) is multiplied by 100. Criteria on different scales thus
 *   combine by their weights alone. Only complete sets count: a judge's total exists once they
 *   scored every criterion of the hackathon (partial sets show in the progress, not here).
 * - Normalisation (optional): judges use scales differently (one gives 8–10, another 3–7), so
 *   each judge's totals become z-scores across the submissions that judge completed:
 *   z = (total − judge's mean) / judge's population standard deviation. A judge with one
 *   completed submission, or whose totals have no spread (standard deviation ≤ the tie
 *   tolerance), says nothing about differences between submissions: each of their z-scores is 0
 *   (their own average) and the judge is flagged `degenerate`.
 * - Final score: the mean over the judges who completed the submission of their total (raw) or
 *   z-score (normalised). A submission no judge completed has no final score and no rank.
 * - Ranking: by final score, highest first. Scores within {@link TIE_TOLERANCE} of the first of
 *   their group are tied (float sums of the same values in another order differ by ~1e-14, which
 *   must not break a tie). A tie is broken by, in order: more judges having completed the
 *   submission; then, with normalisation only, the higher raw mean (within the same tolerance).
 *   Submissions still equal share a rank (standard competition ranking: 1, 1, 3) and the tie is
 *   reported as not broken. Equal submissions are listed by title, then id.
 */

/** Absolute tolerance under which two final scores (or raw means) are equal. */
export const TIE_TOLERANCE = 1e-9;

export interface ResultsCriterion {
  id: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
}

export interface ResultsScore {
  judgeId: string;
  submissionId: string;
  criterionId: string;
  value: number;
}

export interface ResultsSubmission {
  id: string;
  /** How the submission is named in explanations (its title). */
  title: string;
}

export interface ResultsInput {
  criteria: readonly ResultsCriterion[];
  submissions: readonly ResultsSubmission[];
  scores: readonly ResultsScore[];
  normalized: boolean;
}

/** One judge's view of one submission. */
export interface JudgeResult {
  judgeId: string;
  /** 0–100 (see the module comment). */
  weightedTotal: number;
  /** z-score among the judge's completed submissions; 0 for a degenerate judge. */
  normalizedScore: number;
}

/** A judge's normalisation: mean and population standard deviation of their weighted totals. */
export interface JudgeNormalization {
  judgeId: string;
  scoredSubmissions: number;
  mean: number;
  standardDeviation: number;
  /** Why this judge's z-scores are all 0, or null when they are computed. */
  degenerate: 'single_submission' | 'no_spread' | null;
}

export interface TieInfo {
  /** Ids of the other submissions whose final score equals this one's (within the tolerance). */
  tiedWith: string[];
  /** True when the tie-break ordered this submission against every other one of the tie. */
  broken: boolean;
  explanation: string;
}

export interface SubmissionResult {
  submissionId: string;
  title: string;
  /** Standard competition rank (1, 1, 3); null without any completed judge. */
  rank: number | null;
  /** Raw mean (0–100) or normalised mean (z), as asked; null without any completed judge. */
  finalScore: number | null;
  /** Mean of the judges' weighted totals, 0–100; null without any completed judge. */
  rawMean: number | null;
  /** Mean of the judges' z-scores; null without any completed judge. */
  normalizedMean: number | null;
  judgesCompleted: number;
  judges: JudgeResult[];
  tie: TieInfo | null;
}

export interface JudgingResults {
  normalized: boolean;
  tieTolerance: number;
  submissions: SubmissionResult[];
  judges: JudgeNormalization[];
}

/**
 * A judge's weighted total (0–100) for one submission, or null unless every criterion has a value.
 * @param values criterion id → value
 */
export function weightedTotal(criteria: readonly ResultsCriterion[], values: ReadonlyMap<string, number>): number | null {
  if (criteria.length === 0) return null;
  let weighted = 0;
  let weights = 0;
  for (const criterion of criteria) {
    const value = values.get(criterion.id);
    if (value === undefined) return null;
    weighted += (criterion.weight * (value - criterion.scaleMin)) / (criterion.scaleMax - criterion.scaleMin);
    weights += criterion.weight;
  }
  return (100 * weighted) / weights;
}

/** z-scores of one judge's totals (see the module comment for the degenerate cases). */
export function normalizeJudge(judgeId: string, totals: ReadonlyMap<string, number>): { info: JudgeNormalization; z: Map<string, number> } {
  const values = [...totals.values()];
  const n = values.length;
  const mean = n ? values.reduce((a, b) => a + b, 0) / n : 0;
  const standardDeviation = n ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / n) : 0;
  const degenerate = n < 2 ? 'single_submission' : standardDeviation <= TIE_TOLERANCE ? 'no_spread' : null;
  const z = new Map<string, number>();
  for (const [submissionId, total] of totals) z.set(submissionId, degenerate ? 0 : (total - mean) / standardDeviation);
  return { info: { judgeId, scoredSubmissions: n, mean, standardDeviation, degenerate }, z };
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const close = (a: number, b: number) => Math.abs(a - b) <= TIE_TOLERANCE;
const show = (value: number) => value.toFixed(2);
const judgesText = (n: number) => `${n} judge${n === 1 ? '' : 's'}`;

/** Computes every submission's result (see the module comment for each rule). */
export function computeJudgingResults(input: ResultsInput): JudgingResults {
  const criterionIds = new Set(input.criteria.map((c) => c.id));
  const values = new Map<string, Map<string, Map<string, number>>>(); // judge → submission → criterion → value
  for (const score of input.scores) {
    if (!criterionIds.has(score.criterionId)) continue;
    const byJudge = values.get(score.judgeId) ?? new Map<string, Map<string, number>>();
    values.set(score.judgeId, byJudge);
    const bySubmission = byJudge.get(score.submissionId) ?? new Map<string, number>();
    byJudge.set(score.submissionId, bySubmission);
    bySubmission.set(score.criterionId, score.value);
  }

  const judges: JudgeNormalization[] = [];
  const perSubmission = new Map<string, JudgeResult[]>();
  for (const judgeId of [...values.keys()].sort()) {
    const totals = new Map<string, number>();
    for (const [submissionId, criterionValues] of values.get(judgeId)!) {
      const total = weightedTotal(input.criteria, criterionValues);
      if (total !== null) totals.set(submissionId, total);
    }
    if (totals.size === 0) continue;
    const { info, z } = normalizeJudge(judgeId, totals);
    judges.push(info);
    for (const [submissionId, total] of totals) {
      const list = perSubmission.get(submissionId) ?? [];
      perSubmission.set(submissionId, list);
      list.push({ judgeId, weightedTotal: total, normalizedScore: z.get(submissionId)! });
    }
  }

  const results: SubmissionResult[] = input.submissions.map((submission) => {
    const judged = perSubmission.get(submission.id) ?? [];
    const rawMean = judged.length ? mean(judged.map((j) => j.weightedTotal)) : null;
    const normalizedMean = judged.length ? mean(judged.map((j) => j.normalizedScore)) : null;
    return {
      submissionId: submission.id,
      title: submission.title,
      rank: null,
      finalScore: input.normalized ? normalizedMean : rawMean,
      rawMean,
      normalizedMean,
      judgesCompleted: judged.length,
      judges: judged,
      tie: null,
    };
  });
  rankResults(results, input.normalized);
  return { normalized: input.normalized, tieTolerance: TIE_TOLERANCE, submissions: results, judges };
}

/** Compares by the documented tie-break: more judges first, then (normalised) higher raw mean. 0 = not broken. */
function tieBreak(a: SubmissionResult, b: SubmissionResult, normalized: boolean): number {
  if (a.judgesCompleted !== b.judgesCompleted) return b.judgesCompleted - a.judgesCompleted;
  if (normalized && !close(a.rawMean!, b.rawMean!)) return b.rawMean! - a.rawMean!;
  return 0;
}

function byTitle(a: SubmissionResult, b: SubmissionResult): number {
  return a.title < b.title ? -1 : a.title > b.title ? 1 : a.submissionId < b.submissionId ? -1 : a.submissionId > b.submissionId ? 1 : 0;
}

/** Why `a` and `b` (tied on the final score) are in that order, in words. */
function tieClause(a: SubmissionResult, b: SubmissionResult, normalized: boolean, named: boolean): string {
  const order = tieBreak(a, b, normalized);
  if (order === 0) {
    return `not broken${named ? ` with "${b.title}"` : ''} (${judgesText(a.judgesCompleted)} each${normalized ? `, same raw mean ${show(a.rawMean!)}` : ''})`;
  }
  const place = order < 0 ? 'ahead of' : 'behind';
  if (a.judgesCompleted !== b.judgesCompleted) {
    return `${place} "${b.title}": ${judgesText(a.judgesCompleted)} completed it against ${b.judgesCompleted}`;
  }
  return `${place} "${b.title}" on the raw mean: ${show(a.rawMean!)} against ${show(b.rawMean!)}`;
}

/** Sorts `results` in place, sets ranks and tie explanations. */
function rankResults(results: SubmissionResult[], normalized: boolean): void {
  results.sort((a, b) => {
    if (a.finalScore === null || b.finalScore === null) return a.finalScore === null ? (b.finalScore === null ? byTitle(a, b) : 1) : -1;
    return b.finalScore - a.finalScore || byTitle(a, b);
  });
  const scored = results.filter((r) => r.finalScore !== null);
  // groups of equal final scores (within the tolerance of the group's first)
  const groups: SubmissionResult[][] = [];
  for (const result of scored) {
    const group = groups.at(-1);
    if (group && close(group[0].finalScore!, result.finalScore!)) group.push(result);
    else groups.push([result]);
  }
  const ordered: SubmissionResult[] = [];
  for (const group of groups) {
    group.sort((a, b) => tieBreak(a, b, normalized) || byTitle(a, b));
    for (const result of group) {
      const previous = ordered.at(-1);
      const position = ordered.length + 1;
      result.rank = previous && group.includes(previous) && tieBreak(previous, result, normalized) === 0 ? previous.rank : position;
      ordered.push(result);
      if (group.length > 1) {
        const others = group.filter((other) => other !== result);
        const clauses = others.map((other) => tieClause(result, other, normalized, others.length > 1));
        const unit = normalized ? ' (normalised)' : '';
        result.tie = {
          tiedWith: others.map((other) => other.submissionId),
          broken: others.every((other) => tieBreak(result, other, normalized) !== 0),
          explanation: `tied with ${others.map((o) => `"${o.title}"`).join(', ')} at ${show(group[0].finalScore!)}${unit}; ${clauses.join('; ')}`,
        };
      }
    }
  }
  results.splice(0, scored.length, ...ordered);
}
