import { Field, ID, ObjectType, Int, registerEnumType } from '@nestjs/graphql';
import { PageInfoObject } from '../graphql/page-info.type.js';

/** `AuditEvent.status` values. */
export enum AuditStatusEnum {
  PENDING = 'pending',
  OK = 'ok',
  ERROR = 'error',
}

registerEnumType(AuditStatusEnum, {
  name: 'AuditStatus',
  description: 'How a recorded change ended.',
  valuesMap: {
    PENDING: { description: 'Started, end not recorded: still running, or the process stopped before the change ended (check the target).' },
    OK: { description: 'The mutation succeeded; `after` holds its result.' },
    ERROR: { description: 'The mutation failed; `errorCode` and `errorMessage` say how.' },
  },
});

@ObjectType('AuditEvent', {
  description:
    'One change in the audit log: a root mutation an authorised caller ran (who, when, what, the target before and the result after). ' +
    'Arguments, before and after are JSON text with secrets and e-mail addresses replaced by "[redacted]" / "[email]".',
})
export class AuditEventObject {
  @Field(() => ID, { description: 'Id of the event (increasing in the order changes started).' })
  id: string;

  @Field(() => Date, { description: 'When the change started (UTC instant).' })
  occurredAt: Date;

  @Field(() => Date, { nullable: true, description: 'When its end was recorded (UTC instant); null while PENDING.' })
  completedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Who: `api-token:<token id>` or `member:<member id>` (a signed-in person); null for an anonymous caller.' })
  actor: string | null;

  @Field(() => String, { nullable: true, description: 'The role the caller acted with (e.g. `admin`, `member`); null for an anonymous caller.' })
  actorRole: string | null;

  @Field(() => String, { nullable: true, description: 'The request id, as answered in the `x-request-id` header and quoted in the logs.' })
  requestId: string | null;

  @Field({ description: 'The mutation (root field name, e.g. `updateHackathon`).' })
  operation: string;

  @Field(() => String, { nullable: true, description: 'Kind of the thing changed (e.g. `hackathon`, `team`, `member`); null when not known.' })
  targetType: string | null;

  @Field(() => String, { nullable: true, description: 'Its id as the arguments named it (UUID, slug or login), or the id of a created thing; null when not known.' })
  targetId: string | null;

  @Field({ description: 'The arguments, as JSON text (redacted).' })
  arguments: string;

  @Field(() => String, { nullable: true, description: 'The target\'s state before the change, as JSON text (redacted); null when the mutation reads none (it creates something, or acts outside Postgres) or nothing existed.' })
  before: string | null;

  @Field(() => String, { nullable: true, description: 'The mutation\'s result, as JSON text (redacted); null unless OK.' })
  after: string | null;

  @Field(() => AuditStatusEnum, { description: 'PENDING, OK or ERROR.' })
  status: AuditStatusEnum;

  @Field({ description: '`ok`, `<error code>: <message>` (e.g. `NOT_FOUND: No hackathon "x"`), or `pending`.' })
  outcome: string;

  @Field(() => String, { nullable: true, description: 'The API error code the caller got (BAD_USER_INPUT, NOT_FOUND, CONFLICT, ..., INTERNAL_SERVER_ERROR); null unless ERROR.' })
  errorCode: string | null;

  @Field(() => String, { nullable: true, description: 'The error message (for INTERNAL_SERVER_ERROR the internal message the caller did not see, scrubbed); null unless ERROR.' })
  errorMessage: string | null;
}

@ObjectType('AuditEventEdge', { description: 'An audit event in a connection.' })
export class AuditEventEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` to read the (older) events after this one.' })
  cursor: string;

  @Field(() => AuditEventObject, { description: 'The event.' })
  node: AuditEventObject;
}

@ObjectType('AuditEventConnection', { description: 'A page of audit events, newest first.' })
export class AuditEventConnectionObject {
  @Field(() => [AuditEventEdgeObject], { description: 'Events of this page.' })
  edges: AuditEventEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Paging state.' })
  pageInfo: PageInfoObject;

  @Field(() => Int, { description: 'Events matching the filter, across all pages (counted only when asked for).' })
  totalCount: number;
}
