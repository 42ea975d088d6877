import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { ActivitySource, ActivityType } from '#libs/members';
import { PageInfoObject } from '../graphql/page-info.type.js';

/** GraphQL names of activity types; the values are the stored ones. */
export enum ActivityTypeEnum {
  COMMIT = 'commit',
  PULL_REQUEST_OPENED = 'pull_request_opened',
  PULL_REQUEST_MERGED = 'pull_request_merged',
  PULL_REQUEST_CLOSED = 'pull_request_closed',
  PULL_REQUEST_REOPENED = 'pull_request_reopened',
  REVIEW = 'review',
  REVIEW_COMMENT = 'review_comment',
  ISSUE_OPENED = 'issue_opened',
  ISSUE_CLOSED = 'issue_closed',
  ISSUE_REOPENED = 'issue_reopened',
  ISSUE_COMMENT = 'issue_comment',
  STAR = 'star',
  FORK = 'fork',
  RELEASE = 'release',
  DISCUSSION = 'discussion',
}

/** True when two string unions are equal; a compile error below when the GraphQL enums drift from the domain. */
export type SameValues<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _activityTypesMatch: SameValues<`${ActivityTypeEnum}`, ActivityType> = true;

registerEnumType(ActivityTypeEnum, {
  name: 'ActivityType',
  description: 'Kind of a contribution-like event.',
  valuesMap: {
    COMMIT: { description: 'A commit authored or co-authored (`Co-authored-by`); one per commit however many repositories contain it.' },
    PULL_REQUEST_OPENED: { description: 'A pull request opened (credited to its author).' },
    PULL_REQUEST_MERGED: { description: 'A pull request merged.' },
    PULL_REQUEST_CLOSED: { description: 'A pull request closed without merging.' },
    PULL_REQUEST_REOPENED: { description: 'A pull request reopened.' },
    REVIEW: { description: 'A pull request review submitted.' },
    REVIEW_COMMENT: { description: 'A comment on a pull request diff.' },
    ISSUE_OPENED: { description: 'An issue opened.' },
    ISSUE_CLOSED: { description: 'An issue closed.' },
    ISSUE_REOPENED: { description: 'An issue reopened.' },
    ISSUE_COMMENT: { description: 'A comment on an issue or on a pull request conversation.' },
    STAR: { description: 'A repository starred (not listed once the star is removed).' },
    FORK: { description: 'A repository forked.' },
    RELEASE: { description: 'A release published.' },
    DISCUSSION: { description: 'A discussion started.' },
  },
});

/** Where an activity was learnt from. */
export enum ActivitySourceEnum {
  WEBHOOK = 'webhook',
  API = 'api',
  GHARCHIVE = 'gharchive',
}

const _activitySourcesMatch: SameValues<`${ActivitySourceEnum}`, ActivitySource> = true;

registerEnumType(ActivitySourceEnum, {
  name: 'ActivitySource',
  description: 'Where an activity was first learnt from; the same fact from several sources is stored once.',
  valuesMap: {
    WEBHOOK: { description: 'A GitHub webhook delivery.' },
    API: { description: 'The GitHub REST API sync.' },
    GHARCHIVE: { description: 'A GH Archive import.' },
  },
});

@ObjectType('Activity', { description: 'One dated contribution-like event by one member in one repository.' })
export class ActivityObject {
  @Field(() => ID, { description: 'Stable id of the activity.' })
  id: string;

  @Field(() => ActivityTypeEnum, { description: 'What happened.' })
  type: ActivityTypeEnum;

  @Field({ description: 'When it happened: a UTC instant (commit author date, pull request merge time, ...).' })
  occurredAt: Date;

  @Field(() => ActivitySourceEnum, { description: 'Where the fact was first learnt from.' })
  source: ActivitySourceEnum;

  @Field(() => String, {
    nullable: true,
    description: 'Title of the pull request, issue or release, or the commit headline, when recorded.',
  })
  title: string | null;

  @Field(() => Int, { nullable: true, description: 'Pull request or issue number within its repository.' })
  number: number | null;

  @Field(() => String, { nullable: true, description: 'Commit SHA (40 hex digits), for commits.' })
  sha: string | null;

  @Field(() => String, { nullable: true, description: 'Link to the fact on GitHub, when recorded.' })
  url: string | null;

  /** Resolved by the activity resolver through a DataLoader. */
  repositoryId: number;
  /** True when the repository's name is withheld (ActivityView.repositoryOwnerErased). */
  repositoryOwnerErased: boolean;
  /** Resolved by the activity resolver through a DataLoader. */
  memberId: string;
}

@ObjectType('ActivityEdge', { description: 'An activity in a connection.' })
export class ActivityEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` to read the activities after this one.' })
  cursor: string;

  @Field(() => ActivityObject, { description: 'The activity.' })
  node: ActivityObject;
}

@ObjectType('ActivityConnection', { description: 'A page of activities, newest first.' })
export class ActivityConnectionObject {
  @Field(() => [ActivityEdgeObject], { description: 'The activities of this page, newest first (ties by id).' })
  edges: ActivityEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Paging state.' })
  pageInfo: PageInfoObject;

  // totalCount: resolved by ActivityConnectionResolver, counted only when asked for
}
