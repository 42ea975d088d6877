import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import { describeLeaderboardWeights } from '#libs/members';
import { PeriodPresetEnum } from './leaderboard.type.js';

@InputType('PeriodInput', {
  description: 'A window: either a preset or explicit bounds (both: BAD_USER_INPUT). Nothing given means LAST_30_DAYS.',
})
export class PeriodInput {
  @Field(() => PeriodPresetEnum, { nullable: true, description: 'A window ending now.' })
  preset?: PeriodPresetEnum | null;

  @Field(() => Date, { nullable: true, description: 'Start (UTC instant, inclusive); open when absent.' })
  since?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'End (UTC instant, exclusive); now when absent. `since` must be before it (BAD_USER_INPUT).',
  })
  until?: Date | null;
}

@InputType('LeaderboardWeightsInput', {
  description:
    'Points per counted activity, each an integer 0–100 (otherwise BAD_USER_INPUT); a count left out keeps its ' +
    `default weight (${describeLeaderboardWeights()}).`,
})
export class LeaderboardWeightsInput {
  @Field(() => Int, { nullable: true, description: 'Points per commit.' })
  commits?: number | null;

  @Field(() => Int, { nullable: true, description: 'Points per pull request opened.' })
  pullRequestsOpened?: number | null;

  @Field(() => Int, { nullable: true, description: 'Points per pull request merged.' })
  pullRequestsMerged?: number | null;

  @Field(() => Int, { nullable: true, description: 'Points per pull request review submitted.' })
  reviews?: number | null;

  @Field(() => Int, { nullable: true, description: 'Points per issue opened.' })
  issuesOpened?: number | null;

  @Field(() => Int, { nullable: true, description: 'Points per issue, pull request or review comment.' })
  comments?: number | null;
}

@ArgsType()
export class LeaderboardArgs {
  @Field(() => PeriodInput, {
    nullable: true,
    defaultValue: { preset: PeriodPresetEnum.LAST_30_DAYS },
    description: 'The window to rank (default: the last 30 days).',
  })
  period?: PeriodInput | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Only activities in this repository: GitHub\'s numeric id or "owner/name" (case-insensitive). Unknown: NOT_FOUND. ' +
      'A commit counts for the repository it was recorded in.',
  })
  repository?: string | null;

  @Field(() => Int, { defaultValue: 10, description: 'Number of entries, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => LeaderboardWeightsInput, {
    nullable: true,
    description: 'Points per counted activity; the defaults when absent.',
  })
  weights?: LeaderboardWeightsInput | null;
}
