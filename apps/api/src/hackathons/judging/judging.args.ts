import { ArgsType, Field, Float, ID, Int } from '@nestjs/graphql';

const HACKATHON = 'The hackathon’s slug. Unknown: NOT_FOUND.';
const MEMBER = 'The judge: member id (UUID) or GitHub login. Unknown: NOT_FOUND.';

@ArgsType()
export class HackathonSlugArgs {
  @Field({ description: HACKATHON })
  hackathon: string;
}

@ArgsType()
export class JudgingFilterArgs {
  @Field(() => ID, { nullable: true, description: 'Only this judge’s: member id or GitHub login.' })
  judge?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this submission’s (UUID).' })
  submission?: string | null;
}

@ArgsType()
export class JudgingResultsFieldArgs {
  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Rank by the mean of per-judge z-scores (true) instead of the mean of raw weighted totals (false).',
  })
  normalized: boolean;
}

@ArgsType()
export class CreateJudgingCriterionArgs extends HackathonSlugArgs {
  @Field({ description: 'Name (trimmed, 1–100 characters), unique per hackathon case-insensitively (else CONFLICT).' })
  name: string;

  @Field(() => String, { nullable: true, description: 'What judges look at (up to 2,000 characters).' })
  description?: string | null;

  @Field(() => Float, { description: 'Weight, > 0 (else BAD_USER_INPUT), at most 4 decimals.' })
  weight: number;

  @Field(() => Float, { nullable: true, description: 'Lowest value (inclusive); default 1.' })
  scaleMin?: number | null;

  @Field(() => Float, { nullable: true, description: 'Highest value (inclusive), above scaleMin; default 10.' })
  scaleMax?: number | null;
}

@ArgsType()
export class UpdateJudgingCriterionArgs {
  @Field(() => ID, { description: 'Criterion id (UUID). Unknown: NOT_FOUND.' })
  id: string;

  @Field(() => String, { nullable: true, description: 'New name; null or absent keeps it.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'New description; null or absent keeps it.' })
  description?: string | null;

  @Field(() => Float, { nullable: true, description: 'New weight (> 0); null or absent keeps it.' })
  weight?: number | null;

  @Field(() => Float, { nullable: true, description: 'New lowest value; must still hold every score given (else CONFLICT).' })
  scaleMin?: number | null;

  @Field(() => Float, { nullable: true, description: 'New highest value; must still hold every score given (else CONFLICT).' })
  scaleMax?: number | null;
}

@ArgsType()
export class JudgingCriterionIdArgs {
  @Field(() => ID, { description: 'Criterion id (UUID). Unknown: NOT_FOUND.' })
  id: string;
}

@ArgsType()
export class JudgeArgs extends HackathonSlugArgs {
  @Field(() => ID, { description: MEMBER })
  member: string;
}

@ArgsType()
export class JudgeAssignmentArgs extends HackathonSlugArgs {
  @Field(() => ID, { description: MEMBER })
  judge: string;

  @Field(() => ID, { description: 'Submission id (UUID) of the same hackathon. Unknown: NOT_FOUND.' })
  submission: string;
}

@ArgsType()
export class ScoreSubmissionArgs extends JudgeAssignmentArgs {
  @Field(() => ID, { description: 'Criterion id (UUID) of the hackathon. Unknown: NOT_FOUND.' })
  criterion: string;

  @Field(() => Float, { description: 'The value, on the criterion’s scale (inclusive), at most 4 decimals; else BAD_USER_INPUT.' })
  value: number;

  @Field(() => String, { nullable: true, description: 'Comment (up to 5,000 characters); null or absent: empty.' })
  comment?: string | null;
}

@ArgsType()
export class AutoAssignJudgesArgs extends HackathonSlugArgs {
  @Field(() => Int, { description: 'Judges wanted per submission, 1–50 (else BAD_USER_INPUT); existing assignments count.' })
  judgesPerSubmission: number;
}
