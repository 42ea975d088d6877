import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/** State of one resource's sync (values as stored in `sync_state.status`). */
export enum SyncStatusEnum {
  IDLE = 'idle',
  RUNNING = 'running',
  FAILED = 'failed',
}

registerEnumType(SyncStatusEnum, {
  name: 'SyncStatus',
  description: "State of one resource's sync.",
  valuesMap: {
    IDLE: { description: 'Not running; the last run succeeded, or none has run yet.' },
    RUNNING: { description: 'A run is in progress.' },
    FAILED: { description: 'The last run failed (see lastError); the cursor stays at the last written page.' },
  },
});

@ObjectType('ResourceSyncHealth', { description: 'Health of the sync of one resource of a repository.' })
export class ResourceSyncHealthObject {
  @Field({
    description:
      'The synced resource: repository, commits, pulls, issues, issue_comments, review_comments, reviews, releases, stargazers, forks or labels.',
  })
  resource: string;

  @Field(() => SyncStatusEnum, { description: 'Whether the resource is idle, running or failed.' })
  status: SyncStatusEnum;

  @Field(() => Date, { nullable: true, description: 'When the last run started (UTC instant); null before the first run.' })
  lastStartedAt: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the last successful run ended (UTC instant); null if no run has succeeded.',
  })
  lastSuccessAt: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Age of the stored cursor: whole seconds since lastSuccessAt; null if no run has succeeded.',
  })
  cursorAgeSeconds: number | null;

  @Field(() => Int, { description: 'GitHub API requests spent on this resource, over every run (count).' })
  requests: number;

  @Field(() => Int, { description: 'Of those requests, how many GitHub answered 304 Not Modified (count).' })
  notModified: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of requests answered 304: notModified / requests, a fraction from 0 to 1; null when no request was made.',
  })
  share304: number | null;

  @Field(() => Int, { description: 'Items written by this resource, over every run (count).' })
  items: number;

  @Field(() => String, {
    nullable: true,
    description: 'Message of the last failure; null when the last run succeeded or none has failed.',
  })
  lastError: string | null;
}

@ObjectType('RepositorySyncHealth', {
  description: "Health of a repository's GitHub sync: each resource, and totals over them (read from the sync state).",
})
export class RepositorySyncHealthObject {
  @Field(() => [ResourceSyncHealthObject], {
    description: 'One entry per resource ever synced for this repository, by resource name; empty before the first sync.',
  })
  resources: ResourceSyncHealthObject[];

  @Field(() => Int, { description: 'GitHub API requests spent on all resources (count).' })
  requests: number;

  @Field(() => Int, { description: 'Of those requests, how many GitHub answered 304 Not Modified (count).' })
  notModified: number;

  @Field(() => Float, {
    nullable: true,
    description: 'Share of requests answered 304 over all resources: a fraction from 0 to 1; null when no request was made.',
  })
  share304: number | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'The oldest of the resources\' last successes (UTC instant): every resource has succeeded since. Null when no resource is known or one has never succeeded.',
  })
  lastSuccessAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'Whole seconds since lastSuccessAt; null when it is null.' })
  cursorAgeSeconds: number | null;

  @Field(() => Date, {
    nullable: true,
    description: "The latest of the resources' last run starts (UTC instant); null when no resource has started a run.",
  })
  lastStartedAt: Date | null;

  @Field(() => Int, { description: 'Resources whose last run failed (count).' })
  failingResources: number;

  @Field(() => Int, { description: 'Resources with a run in progress now (count): the sync is running while above 0.' })
  runningResources: number;
}
