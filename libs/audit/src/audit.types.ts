import type { Json } from './redact-for-audit.js';

/** State of an audit event: `pending` (the change started, its end is not recorded), `ok` or `error`. */
export type AuditStatus = 'pending' | 'ok' | 'error';

/** What a change was made to, where known (e.g. `hackathon` + its id). */
export interface AuditTarget {
  type: string;
  /** Id of the target as the API names it (a UUID, a slug, a numeric id as text); null when not known before the change. */
  id: string | null;
}

/** The start of a change, written before it runs. */
export interface AuditStart {
  /** `api-token:<id>` or `member:<id>` (libs/auth `viewerActor`); null for an anonymous caller. */
  actor: string | null;
  /** The caller's role (`admin`, `member`, ...); null for an anonymous caller. */
  actorRole: string | null;
  /** The request id (`x-request-id`). */
  requestId: string | null;
  /** The operation: the root mutation field's name (`updateHackathon`), or a CLI command (`token create`). */
  operation: string;
  target: AuditTarget | null;
  /** The operation's arguments as given; redacted before they are stored. */
  arguments: unknown;
  /** The target's state before the change (redacted before it is stored); null when the operation has no loader or nothing existed. */
  before: unknown;
}

/** How a change ended. */
export type AuditEnd =
  | { status: 'ok'; /** The operation's result (redacted before it is stored). */ after: unknown; /** A target id learnt from the result (e.g. of a created row). */ targetId?: string | null }
  | { status: 'error'; /** The API error code (`BAD_USER_INPUT`, `NOT_FOUND`, ..., `INTERNAL_SERVER_ERROR`). */ code: string; message: string };

/** One row of the audit log as read back. */
export interface AuditEventView {
  id: string;
  /** When the change started (UTC instant). */
  occurredAt: Date;
  /** When its end was recorded (UTC instant); null while pending. */
  completedAt: Date | null;
  actor: string | null;
  actorRole: string | null;
  requestId: string | null;
  operation: string;
  targetType: string | null;
  targetId: string | null;
  arguments: Json;
  before: Json | null;
  after: Json | null;
  status: AuditStatus;
  errorCode: string | null;
  errorMessage: string | null;
}

/** Which audit events to list; every condition given applies. */
export interface AuditEventFilter {
  actor?: string | null;
  operation?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  status?: AuditStatus | null;
  /** Events that started at or after this instant. */
  from?: Date | null;
  /** Events that started before this instant (exclusive). */
  to?: Date | null;
}

/** Arguments of {@link AuditService.list}. */
export interface AuditEventListArgs {
  filter?: AuditEventFilter | null;
  first?: number | null;
  after?: string | null;
}
