import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Access } from '../../graphql/access/access.decorator.js';

@ObjectType('JudgingCriterion', { description: 'What submissions of a hackathon are scored on.' })
export class JudgingCriterionObject {
  @Field(() => ID, { description: 'Criterion id (UUID).' })
  id: string;

  @Field({ description: 'Name, unique per hackathon (case-insensitive).' })
  name: string;

  @Field({ description: 'What judges look at.' })
  description: string;

  @Field(() => Float, { description: 'Weight, > 0, relative to the hackathon’s other criteria.' })
  weight: number;

  @Field(() => Float, { description: 'Lowest value a judge can give (inclusive).' })
  scaleMin: number;

  @Field(() => Float, { description: 'Highest value a judge can give (inclusive).' })
  scaleMax: number;

  @Field({ description: 'When it was created (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'When it last changed (UTC instant).' })
  updatedAt: Date;
}

@ObjectType('Judge', { description: 'A member who judges a hackathon.' })
export class JudgeObject {
  @Field(() => ID, { description: 'Judge id (UUID; one per hackathon and member).' })
  id: string;

  memberId: string;

  @Field({ description: 'When the member became a judge (UTC instant).' })
  addedAt: Date;
}

@ObjectType('JudgeAssignment', { description: 'A judge asked to score a submission.' })
export class JudgeAssignmentObject {
  @Field(() => ID, { description: 'The judge id.' })
  judgeId: string;

  memberId: string;

  @Field(() => ID, { description: 'The submission id.' })
  submissionId: string;

  @Field({ description: 'When the judge was assigned (UTC instant).' })
  assignedAt: Date;
}

@ObjectType('JudgeScore', { description: 'One judge’s value for one criterion of one submission.' })
export class JudgeScoreObject {
  @Field(() => ID, { description: 'The judge id.' })
  judgeId: string;

  memberId: string;

  @Field(() => ID, { description: 'The submission id.' })
  submissionId: string;

  @Field(() => ID, { description: 'The criterion id.' })
  criterionId: string;

  @Field(() => Float, { description: 'The value, on the criterion’s scale.' })
  value: number;

  @Access.asParent('Hackathon.judgeScores (a judge: their own) and Mutation.scoreSubmission')
  @Field({ description: 'The judge’s comment (may be empty).' })
  comment: string;

  @Field({ description: 'When first given (UTC instant).' })
  createdAt: Date;

  @Field({ description: 'When last changed (UTC instant).' })
  updatedAt: Date;
}

export enum NormalizationDegenerateEnum {
  SINGLE_SUBMISSION = 'single_submission',
  NO_SPREAD = 'no_spread',
}
registerEnumType(NormalizationDegenerateEnum, {
  name: 'JudgeNormalizationDegenerate',
  description: 'Why a judge’s z-scores are all 0 (their totals say nothing about differences between submissions).',
  valuesMap: {
    SINGLE_SUBMISSION: { description: 'The judge completed only one submission.' },
    NO_SPREAD: { description: 'The judge gave every submission the same weighted total (standard deviation ≤ the tie tolerance).' },
  },
});

@ObjectType('JudgeResult', { description: 'One judge’s completed scoring of one submission.' })
export class JudgeResultObject {
  @Field(() => ID, { description: 'The judge id.' })
  judgeId: string;

  memberId: string;

  @Field(() => Float, {
    description:
      'Weighted total, 0–100: each value placed on its criterion’s scale (min → 0, max → 1), weighted mean by weight, × 100.',
  })
  weightedTotal: number;

  @Field(() => Float, { description: 'z-score of the weighted total among the submissions this judge completed (0 when degenerate).' })
  normalizedScore: number;
}

@ObjectType('JudgingTie', { description: 'Other submissions with an equal final score, and how the tie was settled.' })
export class JudgingTieObject {
  @Field(() => [ID], { description: 'Ids of the other submissions whose final score is within the tie tolerance.' })
  tiedWith: string[];

  @Field({ description: 'True when the tie-break ordered this submission against every other one of the tie.' })
  broken: boolean;

  @Field({
    description:
      'In words, e.g. `tied with "B" at 74.00; not broken (2 judges each)` or `tied with "B" at 74.00; ahead of "B": 3 judges ' +
      'completed it against 2`. Tie-break: more judges who completed the submission, then (normalised only) the higher raw mean.',
  })
  explanation: string;
}

@ObjectType('SubmissionResult', { description: 'A submission’s place in the judging results.' })
export class SubmissionResultObject {
  @Field(() => ID, { description: 'The submission id.' })
  submissionId: string;

  @Field({ description: 'The submission title.' })
  title: string;

  @Field(() => ID, { description: 'The team id.' })
  teamId: string;

  @Field({ description: 'The team name.' })
  teamName: string;

  @Field(() => Int, { nullable: true, description: 'Competition rank (1, 1, 3); null until a judge completed it.' })
  rank: number | null;

  @Field(() => Float, { nullable: true, description: 'The ranking score: `normalizedMean` when normalised, else `rawMean`.' })
  finalScore: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean of the judges’ weighted totals, 0–100.' })
  rawMean: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean of the judges’ z-scores.' })
  normalizedMean: number | null;

  @Field(() => Int, { description: 'Judges who scored every criterion of it (only they count).' })
  judgesCompleted: number;

  @Field(() => [JudgeResultObject], { description: 'Per judge who completed it.' })
  judges: JudgeResultObject[];

  @Field(() => JudgingTieObject, { nullable: true, description: 'Set when another submission has the same final score.' })
  tie: JudgingTieObject | null;
}

@ObjectType('JudgeNormalization', { description: 'How one judge’s weighted totals are normalised.' })
export class JudgeNormalizationObject {
  @Field(() => ID, { description: 'The judge id.' })
  judgeId: string;

  memberId: string;

  @Field(() => Int, { description: 'Submissions the judge completed.' })
  scoredSubmissions: number;

  @Field(() => Float, { description: 'Mean of their weighted totals (0–100).' })
  mean: number;

  @Field(() => Float, { description: 'Population standard deviation of their weighted totals.' })
  standardDeviation: number;

  @Field(() => NormalizationDegenerateEnum, { nullable: true, description: 'Set when every z-score of this judge is 0, and why.' })
  degenerate: NormalizationDegenerateEnum | null;
}

@ObjectType('JudgingResults', { description: 'Results of a hackathon’s judging, computed from the current scores.' })
export class JudgingResultsObject {
  @Field({ description: 'Whether `finalScore` is the normalised mean.' })
  normalized: boolean;

  @Field(() => Float, { description: 'Final scores closer than this are equal (absolute; 1e-9).' })
  tieTolerance: number;

  @Field(() => [SubmissionResultObject], { description: 'Ranked submissions first (best first), then unranked ones by title.' })
  submissions: SubmissionResultObject[];

  @Field(() => [JudgeNormalizationObject], { description: 'Per judge with at least one completed submission.' })
  judges: JudgeNormalizationObject[];
}

@ObjectType('JudgeProgress', { description: 'How far one judge is.' })
export class JudgeProgressObject {
  @Field(() => ID, { description: 'The judge id.' })
  judgeId: string;

  memberId: string;

  @Field(() => Int, { description: 'Submissions assigned.' })
  assigned: number;

  @Field(() => Int, { description: 'Assigned submissions scored on every criterion.' })
  fullyScored: number;

  @Field(() => Int, { description: 'Assigned submissions scored on some criteria but not all.' })
  partiallyScored: number;

  @Field(() => Int, { description: 'Assigned submissions with no score yet.' })
  notStarted: number;

  @Field(() => Float, { nullable: true, description: 'fullyScored ÷ assigned, 0–1; null when nothing is assigned.' })
  completion: number | null;
}

@ObjectType('JudgingProgress', { description: 'How far a hackathon’s judging is.' })
export class JudgingProgressObject {
  @Field(() => Int, { description: 'Criteria of the hackathon (a full scoring gives one value per criterion).' })
  criteria: number;

  @Field(() => Int, { description: 'Assignments (judge × submission).' })
  assignments: number;

  @Field(() => Int, { description: 'Assignments scored on every criterion.' })
  fullyScored: number;

  @Field(() => Int, { description: 'Assignments scored on some criteria.' })
  partiallyScored: number;

  @Field(() => Int, { description: 'Assignments with no score.' })
  notStarted: number;

  @Field(() => Float, { nullable: true, description: 'fullyScored ÷ assignments, 0–1; null without assignments.' })
  completion: number | null;

  @Field(() => [JudgeProgressObject], { description: 'Every judge of the hackathon, first added first.' })
  judges: JudgeProgressObject[];
}

@ObjectType('ShortSubmission', { description: 'A submission auto-assignment could not give k judges.' })
export class ShortSubmissionObject {
  @Field(() => ID, { description: 'The submission id.' })
  submissionId: string;

  @Field(() => Int, { description: 'Judges it has now.' })
  judges: number;

  @Field(() => Int, { description: 'Judges of the hackathon without a conflict of interest with it.' })
  eligible: number;
}

@ObjectType('AutoAssignJudgesResult', { description: 'What auto-assignment did.' })
export class AutoAssignJudgesResultObject {
  @Field(() => [JudgeAssignmentObject], { description: 'Assignments it created (existing ones are kept and not listed).' })
  created: JudgeAssignmentObject[];

  @Field(() => [ShortSubmissionObject], { description: 'Submissions left with fewer judges than asked.' })
  short: ShortSubmissionObject[];
}
