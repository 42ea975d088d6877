import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { describeLeaderboardWeights } from '#libs/members';
import { MemberObject } from '../members/member.type.js';

/** Named leaderboard windows. */
export enum PeriodPresetEnum {
  LAST_7_DAYS = 'LAST_7_DAYS',
  LAST_30_DAYS = 'LAST_30_DAYS',
  LAST_365_DAYS = 'LAST_365_DAYS',
  ALL_TIME = 'ALL_TIME',
}

registerEnumType(PeriodPresetEnum, {
  name: 'PeriodPreset',
  description: 'A window ending now (UTC): the last N×24 hours, or everything.',
  valuesMap: {
    LAST_7_DAYS: { description: 'The last 7 days up to now.' },
    LAST_30_DAYS: { description: 'The last 30 days up to now.' },
    LAST_365_DAYS: { description: 'The last 365 days up to now ("the last year").' },
    ALL_TIME: { description: 'Everything up to now.' },
  },
});

@ObjectType('LeaderboardEntry', { description: 'A ranked member and the counts behind the score.' })
export class LeaderboardEntryObject {
  @Field(() => Int, { description: 'Position from 1; members with equal scores get consecutive positions in the tie order.' })
  rank: number;

  @Field(() => Int, { description: `Weighted sum of the counts (by default ${describeLeaderboardWeights()}).` })
  score: number;

  @Field(() => MemberObject, { description: 'The member (always a person).' })
  member: MemberObject;

  @Field(() => Int, { description: 'Commits authored or co-authored; a commit in several repositories counts once.' })
  commits: number;

  @Field(() => Int, { description: 'Pull requests opened.' })
  pullRequestsOpened: number;

  @Field(() => Int, { description: 'Pull requests merged.' })
  pullRequestsMerged: number;

  @Field(() => Int, { description: 'Pull request reviews submitted.' })
  reviews: number;

  @Field(() => Int, { description: 'Issues opened.' })
  issuesOpened: number;

  @Field(() => Int, { description: 'Issue, pull request and review comments.' })
  comments: number;
}

@ObjectType('LeaderboardWeights', { description: 'Points per counted activity that a leaderboard was scored with.' })
export class LeaderboardWeightsObject {
  @Field(() => Int, { description: 'Points per commit.' })
  commits: number;

  @Field(() => Int, { description: 'Points per pull request opened.' })
  pullRequestsOpened: number;

  @Field(() => Int, { description: 'Points per pull request merged.' })
  pullRequestsMerged: number;

  @Field(() => Int, { description: 'Points per pull request review.' })
  reviews: number;

  @Field(() => Int, { description: 'Points per issue opened.' })
  issuesOpened: number;

  @Field(() => Int, { description: 'Points per issue, pull request or review comment.' })
  comments: number;
}

@ObjectType('Leaderboard', { description: 'Members ranked by weighted activity within a window.' })
export class LeaderboardObject {
  @Field(() => Date, { nullable: true, description: 'Start of the window (UTC instant, inclusive); null for ALL_TIME.' })
  since: Date | null;

  @Field({ description: 'End of the window (UTC instant, exclusive).' })
  until: Date;

  @Field(() => LeaderboardWeightsObject, { description: 'The weights the scores were computed with.' })
  weights: LeaderboardWeightsObject;

  @Field(() => [LeaderboardEntryObject], {
    description:
      `Top members by score (by default ${describeLeaderboardWeights()}), highest first; equal scores are ordered by ` +
      'lower-cased login (or display name, byte-wise) then member id, so the order is stable. Bots and the ' +
      'deleted-user sentinel never rank; members scoring 0 in the window are not listed. Counted from a daily ' +
      'rollup kept up to date in the same transaction as each activity write, so as fresh as the activities.',
  })
  entries: LeaderboardEntryObject[];
}
