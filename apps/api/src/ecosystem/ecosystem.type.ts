import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

/** What a tracked source covers. */
export enum TrackedSourceKindEnum {
  ORGANIZATION = 'organization',
  USER = 'user',
  REPOSITORY = 'repository',
}

registerEnumType(TrackedSourceKindEnum, {
  name: 'TrackedSourceKind',
  description: 'What a tracked source covers.',
  valuesMap: {
    ORGANIZATION: { description: 'Every repository of a GitHub organisation (name = its login).' },
    USER: { description: 'Every repository of a GitHub user (name = the login).' },
    REPOSITORY: { description: 'One repository (name = "owner/name").' },
  },
});

/** Outcome of a sync request. */
export enum SyncRequestStatusEnum {
  QUEUED = 'queued',
  DEDUPLICATED = 'deduplicated',
  DEFERRED = 'deferred',
}

registerEnumType(SyncRequestStatusEnum, {
  name: 'SyncRequestStatus',
  description: 'What happened to a sync request.',
  valuesMap: {
    QUEUED: { description: 'A new discovery job was queued.' },
    DEDUPLICATED: { description: 'A discovery job for this ecosystem was already waiting; it will do the work.' },
    DEFERRED: { description: 'A discovery job for this ecosystem is running; this request runs after it.' },
  },
});

@ObjectType('TrackedSource', { description: 'An organisation, user or repository an ecosystem tracks.' })
export class TrackedSourceObject {
  @Field(() => Int, { description: 'Stable id of the tracked source.' })
  id: number;

  @Field(() => TrackedSourceKindEnum, { description: 'What the source covers.' })
  kind: TrackedSourceKindEnum;

  @Field({ description: 'Login (organisation, user) or "owner/name" (repository), as tracked.' })
  name: string;

  @Field({ description: 'True while paused: neither listed nor synced.' })
  paused: boolean;

  @Field({ description: 'When tracking started (UTC instant).' })
  createdAt: Date;
}

@ObjectType('Ecosystem', { description: 'A named set of tracked GitHub organisations, users and repositories.' })
export class EcosystemObject {
  /** Internal key for loaders; the public key is the slug. */
  id: number;

  @Field({ description: 'Unique key: lower-case letters, digits and hyphens.' })
  slug: string;

  @Field({ description: 'Name to show.' })
  name: string;

  @Field({ description: 'When the ecosystem was created (UTC instant).' })
  createdAt: Date;
}

@ObjectType('AddTrackedSourcePayload', { description: 'Result of addTrackedSource.' })
export class AddTrackedSourcePayload {
  @Field(() => TrackedSourceObject, { description: 'The tracked source (new, or the one already tracked).' })
  trackedSource: TrackedSourceObject;

  @Field({ description: 'False when the source was already tracked (any letter case): nothing changed.' })
  created: boolean;
}

@ObjectType('StartSyncPayload', { description: 'Result of startSync.' })
export class StartSyncPayload {
  @Field(() => EcosystemObject, { description: 'The ecosystem whose sync was requested.' })
  ecosystem: EcosystemObject;

  @Field({ description: 'Id of the BullMQ job that will discover the repositories (and then sync each one).' })
  jobId: string;

  @Field(() => SyncRequestStatusEnum, { description: 'Whether a job was queued, or an existing one covers the request.' })
  status: SyncRequestStatusEnum;
}
