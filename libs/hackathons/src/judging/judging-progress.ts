/**
 * Judge progress (pure): for each judge, how many assigned submissions they scored on every
 * criterion (fully), on some (partially) or on none; and the hackathon's overall completion.
 * A hackathon without criteria has nothing to score: every assignment counts as not started.
 */

export interface ProgressAssignment {
  judgeId: string;
  submissionId: string;
  /** How many distinct current criteria the judge scored for this submission. */
  scoredCriteria: number;
}

export interface JudgeProgress {
  judgeId: string;
  assigned: number;
  fullyScored: number;
  partiallyScored: number;
  notStarted: number;
  /** fullyScored / assigned, 0–1; null when nothing is assigned. */
  completion: number | null;
}

export interface JudgingProgress {
  criteria: number;
  assignments: number;
  fullyScored: number;
  partiallyScored: number;
  notStarted: number;
  /** Share of assignments fully scored, 0–1; null when there are no assignments. */
  completion: number | null;
  judges: JudgeProgress[];
}

/**
 * Counts progress per judge (every judge in `judgeIds`, in that order, even with no assignment)
 * and overall.
 */
export function computeJudgingProgress(
  criteriaCount: number,
  judgeIds: readonly string[],
  assignments: readonly ProgressAssignment[],
): JudgingProgress {
  const empty = (judgeId: string): JudgeProgress => ({
    judgeId,
    assigned: 0,
    fullyScored: 0,
    partiallyScored: 0,
    notStarted: 0,
    completion: null,
  });
  const byJudge = new Map(judgeIds.map((id) => [id, empty(id)]));
  const total = empty('');
  for (const assignment of assignments) {
    const judge = byJudge.get(assignment.judgeId) ?? empty(assignment.judgeId);
    byJudge.set(assignment.judgeId, judge);
    const state =
      criteriaCount > 0 && assignment.scoredCriteria >= criteriaCount
        ? 'fullyScored'
        : assignment.scoredCriteria > 0 && criteriaCount > 0
          ? 'partiallyScored'
          : 'notStarted';
    for (const counter of [judge, total]) {
      counter.assigned += 1;
      counter[state] += 1;
    }
  }
  const withCompletion = (p: JudgeProgress) => ({ ...p, completion: p.assigned ? p.fullyScored / p.assigned : null });
  const overall = withCompletion(total);
  return {
    criteria: criteriaCount,
    assignments: overall.assigned,
    fullyScored: overall.fullyScored,
    partiallyScored: overall.partiallyScored,
    notStarted: overall.notStarted,
    completion: overall.completion,
    judges: [...byJudge.values()].map(withCompletion),
  };
}
