import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { Stage } from '#libs/members';
import { ActivityObject } from '../activities/activity.type.js';
import type { SameValues } from '../activities/activity.type.js';
import { MemberObject } from '../members/member.type.js';
import { PageInfoObject } from '../graphql/page-info.type.js';

/** A member's stage (libs/members/src/stages/stage-rules.ts has the rules). */
export enum StageEnum {
  OBSERVER = 'OBSERVER',
  USER = 'USER',
  FIRST_TIME_CONTRIBUTOR = 'FIRST_TIME_CONTRIBUTOR',
  REGULAR_CONTRIBUTOR = 'REGULAR_CONTRIBUTOR',
  MAINTAINER = 'MAINTAINER',
  LAPSED = 'LAPSED',
}
const _stagesMatch: SameValues<`${StageEnum}`, Stage> = true;

registerEnumType(StageEnum, {
  name: 'Stage',
  description: "A member's place on the path from user to maintainer, per ecosystem. Bots and the deleted-user sentinel have none.",
  valuesMap: {
    OBSERVER: { description: 'Starred or forked a repository.' },
    USER: { description: 'Asked, reported, commented, opened or reviewed a pull request — anything but an accepted contribution.' },
    FIRST_TIME_CONTRIBUTOR: { description: 'Made a first accepted contribution: a non-merge commit on a default branch (author or co-author) or a merged pull request.' },
    REGULAR_CONTRIBUTOR: { description: 'Accepted contributions in at least regular.minWeeks of the last regular.windowWeeks ISO weeks (default 3 of 12).' },
    MAINTAINER: { description: "Merged others' pull requests (default 1) or approved them (default 3)." },
    LAPSED: { description: 'A contributor with no accepted contribution or maintainer action for lapsed.afterWeeks weeks (default 26).' },
  },
});

/** Kinds of "ready for the next step" lists. */
export enum ReadyKindEnum {
  REPORTERS_WITHOUT_PULL_REQUEST = 'REPORTERS_WITHOUT_PULL_REQUEST',
  FIRST_TIMERS_ONE_AWAY_FROM_REGULAR = 'FIRST_TIMERS_ONE_AWAY_FROM_REGULAR',
  REGULARS_REVIEWING_OTHERS = 'REGULARS_REVIEWING_OTHERS',
}

registerEnumType(ReadyKindEnum, {
  name: 'ReadyKind',
  description: 'Who is ready for the next step.',
  valuesMap: {
    REPORTERS_WITHOUT_PULL_REQUEST: { description: 'At USER: opened issues, never a pull request (next: a first contribution).' },
    FIRST_TIMERS_ONE_AWAY_FROM_REGULAR: {
      description: 'At FIRST_TIME_CONTRIBUTOR with accepted contributions in exactly regular.minWeeks − 1 ISO weeks of the window ending this week.',
    },
    REGULARS_REVIEWING_OTHERS: { description: "At REGULAR_CONTRIBUTOR and reviewing (or commenting on) other members' pull requests (next: maintainer)." },
  },
});

@ObjectType('MemberStage', { description: "A member's current stage in one ecosystem." })
export class MemberStageObject {
  @Field(() => String, { description: 'Slug of the ecosystem.' })
  ecosystemSlug: string;

  @Field(() => StageEnum, { description: 'The current stage.' })
  stage: StageEnum;

  @Field(() => Date, { description: 'UTC instant of the transition into the stage.' })
  since: Date;

  @Field(() => Date, { description: 'UTC instant of the first activity in the ecosystem (entry into the funnel).' })
  firstSeenAt: Date;

  @Field(() => Date, { description: 'UTC instant of the latest activity in the ecosystem.' })
  lastActivityAt: Date;

  @Field(() => Date, { nullable: true, description: 'UTC instant of the latest accepted contribution or maintainer action.' })
  lastContributionAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'UTC instant the member lapses if nothing new arrives; null when not a contributor or already lapsed.' })
  lapseDueAt: Date | null;

  @Field(() => Int, { description: 'Issues opened in the ecosystem.' })
  issuesOpened: number;

  @Field(() => Int, { description: 'Pull requests opened in the ecosystem.' })
  pullRequestsOpened: number;

  @Field(() => Int, { description: "Reviews and review comments on other members' pull requests." })
  reviewsOfOthers: number;

  @Field(() => Int, { description: 'Distinct ISO weeks with accepted contributions in the regular window ending this week.' })
  contributionWeeksInWindow: number;

  @Field(() => Int, { description: 'Version of the rules that produced the stage (0: built-in defaults).' })
  ruleVersion: number;
}

@ObjectType('StageTransition', { description: 'One dated stage change of a member.' })
export class StageTransitionObject {
  @Field(() => ID, { description: 'Stable id of the transition.' })
  id: string;

  @Field(() => String, { description: 'Slug of the ecosystem.' })
  ecosystemSlug: string;

  @Field(() => StageEnum, { nullable: true, description: 'Stage before; null for the first.' })
  from: StageEnum | null;

  @Field(() => StageEnum, { description: 'Stage after.' })
  to: StageEnum;

  @Field(() => Date, { description: "UTC instant: the causing activity's instant; for LAPSED, last contribution + lapsed.afterWeeks." })
  at: Date;

  @Field(() => Int, { description: 'Version of the rules that produced it.' })
  ruleVersion: number;

  @Field(() => ActivityObject, {
    nullable: true,
    description: 'The activity that caused it (for LAPSED: the last contribution before the lapse; for a merge, the merged pull request).',
  })
  activity: ActivityObject | null;
}

@ObjectType('FunnelStep', { description: 'One stage of the funnel.' })
export class FunnelStepObject {
  @Field(() => StageEnum, { description: 'The stage.' })
  stage: StageEnum;

  @Field(() => Int, { description: 'Members of the population who reached this stage or a higher one before `to` (skipped stages count as passed).' })
  reached: number;

  @Field(() => Int, { description: 'Members of the population whose stage just before `to` is this one.' })
  current: number;

  @Field(() => Float, { nullable: true, description: 'reached(next stage) ÷ reached(this stage), in [0, 1]; null for MAINTAINER or when reached is 0.' })
  conversionToNext: number | null;
}

@ObjectType('Funnel', { description: 'Counts per stage and conversion rates of a population (see Query.funnel).' })
export class FunnelObject {
  @Field(() => Date, { nullable: true, description: 'Start of the entry period (UTC, inclusive); null: since the beginning.' })
  from: Date | null;

  @Field(() => Date, { description: 'End of the entry period and instant of the counts (UTC, exclusive).' })
  to: Date;

  @Field(() => Int, { description: 'Members in the population.' })
  entered: number;

  @Field(() => [FunnelStepObject], { description: 'OBSERVER to MAINTAINER, in order.' })
  steps: FunnelStepObject[];

  @Field(() => Int, { description: 'Members of the population LAPSED just before `to`.' })
  lapsed: number;
}

@ObjectType('StageCount', { description: 'Members at one stage.' })
export class StageCountObject {
  @Field(() => StageEnum, { description: 'The stage.' })
  stage: StageEnum;

  @Field(() => Int, { description: 'Members at that stage.' })
  count: number;
}

@ObjectType('Cohort', { description: 'Members first seen in one month, and where they were N weeks after their own first activity.' })
export class CohortObject {
  @Field(() => Date, { description: 'First instant (UTC) of the calendar month.' })
  month: Date;

  @Field(() => Int, { description: 'N: weeks after each member’s first activity.' })
  weeks: number;

  @Field(() => Int, { description: 'Members first seen in the month.' })
  size: number;

  @Field(() => Int, { description: 'Members for whom first activity + N weeks is still in the future (not counted by stage).' })
  pending: number;

  @Field(() => [StageCountObject], { description: 'Members per stage at that instant (every stage, LAPSED included).' })
  stages: StageCountObject[];
}

@ObjectType('CohortPage', { description: 'One page of the rows of `cohorts` (one row per month and N), with how many there are in all.' })
export class CohortPageObject {
  @Field(() => Int, { description: 'Rows of `cohorts` for the same arguments, over every page (months × N values).' })
  totalCount: number;

  @Field(() => Int, { description: 'Rows skipped before this page.' })
  offset: number;

  @Field(() => [CohortObject], { description: 'The page: at most `first` rows from `offset` on, in the order of `cohorts` (month, then N).' })
  rows: CohortObject[];
}

@ObjectType('ReadyMember', { description: 'A member ready for the next step, with their stage.' })
export class ReadyMemberObject {
  @Field(() => MemberObject, { description: 'The member.' })
  member: MemberObject;

  @Field(() => MemberStageObject, { description: 'Their stage in the ecosystem asked about.' })
  stage: MemberStageObject;
}

@ObjectType('ReadyMemberEdge', { description: 'One member of the list.' })
export class ReadyMemberEdgeObject {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor: string;

  @Field(() => ReadyMemberObject, { description: 'The member and their stage.' })
  node: ReadyMemberObject;
}

@ObjectType('ReadyMemberConnection', { description: 'Members ready for the next step, most recently active first.' })
export class ReadyMemberConnectionObject {
  @Field(() => [ReadyMemberEdgeObject], { description: 'The page.' })
  edges: ReadyMemberEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Forward paging.' })
  pageInfo: PageInfoObject;
}

@ObjectType('StageRegularRule', { description: 'When a first-time contributor becomes regular.' })
export class StageRegularRuleObject {
  @Field(() => Int, { description: 'Distinct ISO weeks with accepted contributions needed (default 3).' })
  minWeeks: number;

  @Field(() => Int, { description: 'Weeks of the window, ending with the contribution’s week (default 12).' })
  windowWeeks: number;
}

@ObjectType('StageMaintainerRule', { description: 'When a member becomes maintainer.' })
export class StageMaintainerRuleObject {
  @Field(() => Int, { description: "Merges of other members' pull requests that make a maintainer (default 1)." })
  minMergesOfOthers: number;

  @Field(() => Int, { description: "Approving reviews of other members' pull requests that make a maintainer (default 3)." })
  minApprovalsOfOthers: number;
}

@ObjectType('StageLapsedRule', { description: 'When a contributor lapses.' })
export class StageLapsedRuleObject {
  @Field(() => Int, { description: 'Weeks without accepted contribution or maintainer action after which a contributor lapses (default 26).' })
  afterWeeks: number;
}

@ObjectType('StageRules', { description: 'Stage rules in force for a scope.' })
export class StageRulesObject {
  @Field(() => String, { nullable: true, description: 'Ecosystem slug; null for the global rules.' })
  ecosystem: string | null;

  @Field(() => String, { description: 'Where they come from: ecosystem, global or default.' })
  source: string;

  @Field(() => Int, { description: 'Version stored on the transitions they produce (0: built-in defaults).' })
  version: number;

  @Field(() => StageRegularRuleObject, { description: 'REGULAR_CONTRIBUTOR rule.' })
  regular: StageRegularRuleObject;

  @Field(() => StageMaintainerRuleObject, { description: 'MAINTAINER rule.' })
  maintainer: StageMaintainerRuleObject;

  @Field(() => StageLapsedRuleObject, { description: 'LAPSED rule.' })
  lapsed: StageLapsedRuleObject;

  @Field(() => Boolean, { description: 'Mutation only: whether the recomputation of stages was queued (false: done before answering).', nullable: true })
  recomputeQueued?: boolean | null;
}
