import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { FlowItemKind, FlowStep, MetricScope } from '#libs/members';
import type { SameValues } from '../activities/activity.type.js';
import { PageInfoObject } from '../graphql/page-info.type.js';
import { MemberObject } from '../members/member.type.js';

/** Issue or pull request. */
export enum FlowItemKindEnum {
  ISSUE = 'ISSUE',
  PULL_REQUEST = 'PULL_REQUEST',
}
const _kindsMatch: SameValues<`${FlowItemKindEnum}`, FlowItemKind> = true;

registerEnumType(FlowItemKindEnum, {
  name: 'FlowItemKind',
  description: 'Issue or pull request.',
  valuesMap: {
    ISSUE: { description: 'An issue.' },
    PULL_REQUEST: { description: 'A pull request.' },
  },
});

/** Where an open item waits. */
export enum FlowStepEnum {
  NO_RESPONSE = 'NO_RESPONSE',
  RESPONDED = 'RESPONDED',
  WAITING_FOR_REVIEW = 'WAITING_FOR_REVIEW',
  CHANGES_REQUESTED = 'CHANGES_REQUESTED',
  APPROVED = 'APPROVED',
}
const _stepsMatch: SameValues<`${FlowStepEnum}`, FlowStep> = true;

registerEnumType(FlowStepEnum, {
  name: 'FlowStep',
  description:
    "Where an open issue or pull request waits. A response is a comment, review comment or review by someone other than the author, bots excluded; reviews follow GitHub's review decision (each reviewer's latest approval or change request stands, a dismissal withdraws it, a change request outweighs approvals).",
  valuesMap: {
    NO_RESPONSE: { description: 'Nobody but the author (or a bot) has answered; waiting since it was opened.' },
    RESPONDED: { description: 'An issue that was answered and is still open; since the first response.' },
    WAITING_FOR_REVIEW: { description: 'A pull request answered but without a standing approval or change request; since the first response.' },
    CHANGES_REQUESTED: { description: 'A pull request with a standing change request; since the latest one.' },
    APPROVED: { description: 'A pull request approved, no change request outstanding, not merged; since the earliest standing approval.' },
  },
});

@ObjectType('NewContributor', { description: 'A person and the instant of their first contribution in the scope.' })
export class NewContributorObject {
  memberId: string;

  @Field(() => MemberObject, { description: 'The person.' })
  member: MemberObject;

  @Field({ description: 'UTC instant of their first contribution in the scope.' })
  firstContributionAt: Date;
}

@ObjectType('NewContributors', {
  description:
    'CHAOSS New Contributors (https://chaoss.community/kb/metric-new-contributors/): persons whose first contribution in the ' +
    "scope's repositories (ever) falls in the window. Contributions: commits, pull requests opened and merged, reviews, " +
    'issues opened, issue / pull request / review comments. Bots and the deleted-user sentinel are not contributors.',
})
export class NewContributorsObject {
  @Field(() => Int, { description: 'How many persons contributed for the first time in the window.' })
  count: number;

  @Field(() => [NewContributorObject], { description: 'The earliest of them (up to `first`), oldest first contribution first.' })
  contributors: NewContributorObject[];
}

@ObjectType('ResponseTimeStats', { description: 'Times to first response of a set of items (seconds).' })
export class ResponseTimeStatsObject {
  @Field(() => Int, { description: 'Items opened in the window.' })
  items: number;

  @Field(() => Int, { description: 'Items that got a first response (at any time).' })
  responded: number;

  @Field(() => Int, { description: 'Items still without a response.' })
  unresponded: number;

  @Field(() => Int, { nullable: true, description: 'Median seconds to the first response over responded items; null when none.' })
  medianSeconds: number | null;

  @Field(() => Int, { nullable: true, description: '90th percentile (continuous) of seconds to the first response; null when none.' })
  p90Seconds: number | null;

  @Field(() => Int, { nullable: true, description: 'Mean seconds to the first response; null when none.' })
  meanSeconds: number | null;
}

@ObjectType('TimeToFirstResponse', {
  description:
    'CHAOSS Time to First Response (https://chaoss.community/kb/metric-time-to-first-response/) of the issues and pull ' +
    'requests opened in the window: from creation to the first issue comment, review comment or review by someone other ' +
    'than the author, bots excluded, whenever it came.',
})
export class TimeToFirstResponseObject {
  @Field(() => ResponseTimeStatsObject, { description: 'Issues only.' })
  issues: ResponseTimeStatsObject;

  @Field(() => ResponseTimeStatsObject, { description: 'Pull requests only.' })
  pullRequests: ResponseTimeStatsObject;

  @Field(() => ResponseTimeStatsObject, { description: 'Issues and pull requests together.' })
  all: ResponseTimeStatsObject;
}

@ObjectType('ChangeRequestClosureRatio', {
  description:
    'CHAOSS Change Request Closure Ratio (https://chaoss.community/kb/metric-change-request-closure-ratio/): pull requests ' +
    'closed in the window (merged or not) divided by the pull requests open at any instant of the window.',
})
export class ChangeRequestClosureRatioObject {
  @Field(() => Float, { nullable: true, description: '`closed / openDuringPeriod`; null when no pull request was open.' })
  ratio: number | null;

  @Field(() => Int, { description: 'Pull requests open at some instant of the window (created before its end, not closed before its start).' })
  openDuringPeriod: number;

  @Field(() => Int, { description: 'Pull requests created in the window.' })
  opened: number;

  @Field(() => Int, { description: 'Pull requests closed in the window, merged or not.' })
  closed: number;

  @Field(() => Int, { description: 'Of those, merged.' })
  merged: number;

  @Field(() => Int, { description: 'Of those, closed without merging.' })
  closedUnmerged: number;
}

@ObjectType('AbsenceFactorContributor', { description: 'One of the persons who make the Contributor Absence Factor.' })
export class AbsenceFactorContributorObject {
  memberId: string;

  @Field(() => MemberObject, { description: 'The person.' })
  member: MemberObject;

  @Field(() => Int, { description: 'Their contributions in the window.' })
  contributions: number;

  @Field(() => Float, { description: "Their share of all persons' contributions in the window (0–1)." })
  share: number;
}

@ObjectType('ContributorAbsenceFactor', {
  description:
    'CHAOSS Contributor Absence Factor, the bus factor (https://chaoss.community/kb/metric-contributor-absence-factor/): the ' +
    "smallest number of persons whose contributions make at least 50% of all persons' contributions in the window.",
})
export class ContributorAbsenceFactorObject {
  @Field(() => Int, { description: 'The factor; 0 when nobody contributed.' })
  factor: number;

  @Field(() => Int, { description: "All persons' contributions in the window." })
  contributions: number;

  @Field(() => Int, { description: 'Persons with at least one contribution in the window.' })
  contributorCount: number;

  @Field(() => [AbsenceFactorContributorObject], { description: 'The `factor` persons, most contributions first (ties by member id).' })
  contributors: AbsenceFactorContributorObject[];
}

@ObjectType('OrganizationContribution', { description: "One organisation's part of the contributions in the window." })
export class OrganizationContributionObject {
  @Field(() => ID, { description: "The organisation's id." })
  organizationId: string;

  @Field({ description: "The organisation's name." })
  name: string;

  @Field({ description: 'Whether the organisation pays (a customer).' })
  isCustomer: boolean;

  @Field(() => Int, { description: 'Contributions credited to it.' })
  contributions: number;

  @Field(() => Int, { description: 'Persons whose contributions were credited to it.' })
  contributors: number;

  @Field(() => Float, { description: "Its share of all persons' contributions in the window (0–1)." })
  share: number;
}

@ObjectType('OrganizationalDiversity', {
  description:
    'CHAOSS Organizational Diversity (https://chaoss.community/kb/metric-organizational-diversity/): persons\' contributions in ' +
    'the window, each credited to the organisation its member was affiliated with on that date (manual affiliations over ' +
    'automatic ones), per organisation.',
})
export class OrganizationalDiversityObject {
  @Field(() => Int, { description: "All persons' contributions in the window." })
  contributions: number;

  @Field(() => Int, { description: 'Organisations credited with at least one contribution.' })
  organizationCount: number;

  @Field(() => Int, { description: 'Contributions credited to no organisation.' })
  unaffiliatedContributions: number;

  @Field(() => Int, { description: 'Persons with contributions credited to no organisation.' })
  unaffiliatedContributors: number;

  @Field(() => [OrganizationContributionObject], { description: 'Organisations, most contributions first (ties by name).' })
  organizations: OrganizationContributionObject[];
}

@ObjectType('CommunityMetrics', {
  description:
    'Community health metrics with CHAOSS names over a repository, an ecosystem or everything and a window of UTC instants. ' +
    'Each field is computed only when asked for.',
})
export class CommunityMetricsObject {
  /** The resolved scope the fields compute over (not exposed as such). */
  scope: MetricScope;

  @Field(() => Date, { nullable: true, description: 'Start of the window (UTC instant, inclusive); null for ALL_TIME.' })
  since: Date | null;

  @Field({ description: 'End of the window (UTC instant, exclusive).' })
  until: Date;

  @Field(() => [ID], {
    nullable: true,
    description: "GitHub ids of the scope's repositories; null when the scope is every repository.",
  })
  repositoryIds: string[] | null;
}

@ObjectType('FlowItem', { description: 'An open issue or pull request and where it waits. Durations in seconds as of `ItemFlow.asOf`.' })
export class FlowItemObject {
  @Field(() => FlowItemKindEnum, { description: 'Issue or pull request.' })
  kind: FlowItemKindEnum;

  @Field(() => ID, { description: "GitHub's id of the issue or pull request." })
  id: number;

  @Field(() => ID, { description: "GitHub's id of its repository." })
  repositoryId: number;

  @Field(() => Int, { description: 'Its number in the repository.' })
  number: number;

  @Field({ description: 'Its title.' })
  title: string;

  authorMemberId: string | null;

  @Field(() => MemberObject, { nullable: true, description: 'Its author; null when unknown.' })
  author: MemberObject | null;

  @Field({ description: 'UTC instant it was opened.' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'UTC instant of the first response; null when none.' })
  firstResponseAt: Date | null;

  @Field(() => FlowStepEnum, { description: 'The step it waits at.' })
  step: FlowStepEnum;

  @Field({ description: 'UTC instant it entered that step.' })
  waitingSince: Date;

  @Field(() => Int, { description: 'Seconds it has waited at that step.' })
  waitedSeconds: number;

  @Field(() => Int, { description: 'Seconds since it was opened.' })
  ageSeconds: number;
}

@ObjectType('FlowItemEdge', { description: 'An open item and its cursor.' })
export class FlowItemEdgeObject {
  @Field({ description: 'Opaque cursor; pass as `after` for the items that follow.' })
  cursor: string;

  @Field(() => FlowItemObject, { description: 'The item.' })
  node: FlowItemObject;
}

@ObjectType('FlowItemConnection', { description: 'Open items, longest-waiting first (ties: issues first, then by id).' })
export class FlowItemConnectionObject {
  @Field(() => Int, { description: 'Items matching the kind and step filters.' })
  totalCount: number;

  @Field(() => [FlowItemEdgeObject], { description: 'This page.' })
  edges: FlowItemEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Where this page sits.' })
  pageInfo: PageInfoObject;
}

@ObjectType('FlowStepCount', { description: 'How many open items wait at one step, and how long (seconds).' })
export class FlowStepCountObject {
  @Field(() => FlowItemKindEnum, { description: 'Issue or pull request.' })
  kind: FlowItemKindEnum;

  @Field(() => FlowStepEnum, { description: 'The step.' })
  step: FlowStepEnum;

  @Field(() => Int, { description: 'Open items at this step.' })
  count: number;

  @Field(() => Int, { description: 'Median seconds they have waited at it.' })
  medianWaitSeconds: number;

  @Field(() => Int, { description: 'Longest wait at it, in seconds.' })
  maxWaitSeconds: number;
}

@ObjectType('ItemFlow', { description: 'Where open issues and pull requests wait: counts per step and the items.' })
export class ItemFlowObject {
  @Field({ description: 'The UTC instant the picture was taken (waits are measured up to it).' })
  asOf: Date;

  @Field(() => [FlowStepCountObject], { description: 'Every (kind, step) with at least one open item; issues first, in step order.' })
  steps: FlowStepCountObject[];

  @Field(() => FlowItemConnectionObject, { description: 'The open items matching the filters, longest-waiting first.' })
  items: FlowItemConnectionObject;
}
