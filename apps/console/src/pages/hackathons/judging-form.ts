/** What the criterion edit form holds. */
export interface CriterionFormValues {
  name: string;
  description?: string | null;
  /** Weight, > 0, relative to the other criteria. */
  weight: number;
  scaleMin: number;
  scaleMax: number;
}

/** A criterion as the judging query answers it. */
export interface CriterionFormSource {
  id: string;
  name: string;
  description: string;
  weight: number;
  scaleMin: number;
  scaleMax: number;
}

/** The edit form's starting values from a criterion. */
export function toCriterionFormValues(source: CriterionFormSource): CriterionFormValues {
  return { name: source.name, description: source.description, weight: source.weight, scaleMin: source.scaleMin, scaleMax: source.scaleMax };
}

/**
 * The variables of updateJudgingCriterion: the id and only the fields the form changed (absent ones keep
 * their value on the api; an emptied description is sent as "", which empties it). Null when nothing changed.
 */
export function toCriterionUpdate(source: CriterionFormSource, values: CriterionFormValues) {
  const changes: { name?: string; description?: string; weight?: number; scaleMin?: number; scaleMax?: number } = {};
  const name = values.name.trim();
  if (name !== source.name) changes.name = name;
  const description = values.description?.trim() ?? '';
  if (description !== source.description) changes.description = description;
  if (values.weight !== source.weight) changes.weight = values.weight;
  if (values.scaleMin !== source.scaleMin) changes.scaleMin = values.scaleMin;
  if (values.scaleMax !== source.scaleMax) changes.scaleMax = values.scaleMax;
  return Object.keys(changes).length === 0 ? null : { id: source.id, ...changes };
}

/**
 * The form's own check of a scale before anything is sent (the api refuses the same with BAD_USER_INPUT):
 * the highest value must be above the lowest. Returns null when the scale holds, else the two values.
 */
export function invalidScale(scaleMin: number | null | undefined, scaleMax: number | null | undefined): { scaleMin: number; scaleMax: number } | null {
  if (scaleMin == null || scaleMax == null) return null;
  return scaleMax > scaleMin ? null : { scaleMin, scaleMax };
}

/** A judge ↔ submission assignment with what the table shows of each side. */
export interface AssignmentRow {
  key: string;
  judgeId: string;
  /** The judge's member id (what assignJudge and unassignJudge take), or null when unknown. */
  memberId: string | null;
  judgeLabel: string;
  submissionId: string;
  submissionTitle: string;
  teamName: string;
}

/**
 * The assignments to show, by submission (in the order submissions come) then judge login; a submission
 * or judge the lists no longer hold is shown by its id.
 */
export function assignmentRows(
  assignments: ReadonlyArray<{ judgeId: string; submissionId: string; member?: { id: string; login?: string | null } | null }>,
  submissions: ReadonlyArray<{ id: string; title: string; team: { name: string } }>,
): AssignmentRow[] {
  const order = new Map(submissions.map((submission, index) => [submission.id, index]));
  const byId = new Map(submissions.map((submission) => [submission.id, submission]));
  return assignments
    .map((assignment) => {
      const submission = byId.get(assignment.submissionId);
      return {
        key: `${assignment.judgeId}/${assignment.submissionId}`,
        judgeId: assignment.judgeId,
        memberId: assignment.member?.id ?? null,
        judgeLabel: assignment.member?.login ?? assignment.member?.id ?? assignment.judgeId,
        submissionId: assignment.submissionId,
        submissionTitle: submission?.title ?? assignment.submissionId,
        teamName: submission?.team.name ?? '—',
      };
    })
    .sort(
      (a, b) =>
        (order.get(a.submissionId) ?? Number.MAX_SAFE_INTEGER) - (order.get(b.submissionId) ?? Number.MAX_SAFE_INTEGER) ||
        a.judgeLabel.localeCompare(b.judgeLabel),
    );
}
