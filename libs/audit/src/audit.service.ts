import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, encodeCursor, lazyCount, pageSizeSchema, toPage, type LazyCountPage } from '#libs/members';
import { AuditException, AuditExceptionCode } from './audit.exception.js';
import type { AuditEnd, AuditEventListArgs, AuditEventView, AuditStart, AuditStatus } from './audit.types.js';
import { memberRefs, scrubErasedLogins, scrubText } from './erased-logins.js';
import { redactForAudit, type Json } from './redact-for-audit.js';

const CURSOR_KIND = 'audit-event';
/** Longest error message kept (characters). */
const MAX_ERROR_MESSAGE = 2000;

interface AuditEventRow {
  id: string;
  occurred_at: Date;
  completed_at: Date | null;
  actor: string | null;
  actor_role: string | null;
  request_id: string | null;
  operation: string;
  target_type: string | null;
  target_id: string | null;
  arguments: Json;
  before: Json | null;
  after: Json | null;
  status: AuditStatus;
  error_code: string | null;
  error_message: string | null;
}

/**
 * The audit log (`audit_event`): who changed what, when, with which arguments, the target's state
 * before and the result after. A change is recorded in two steps so that a crash in between leaves
 * a visible `pending` row: {@link begin} before it runs (its own statement, committed at once, outside
 * any transaction of the change), {@link complete} after. Arguments, before and after are stored
 * through {@link redactForAudit} (the logger's key list and scrubbing).
 */
@Injectable()
export class AuditService {
  /** Erased logins found by {@link begin}, per pending event of this process, for {@link complete}. */
  private readonly erasedByEvent = new Map<string, Set<string>>();

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records the start of a change as `pending`.
   *
   * A change whose member arguments ({@link memberRefs}: `member`, `judge`, `into`, ...) name an
   * erased member's login (its keyed hash `login:<login>` is in `erasure_suppression`) is about
   * that member: as the erasure scrubs older rows, the login becomes `[erased]` wherever it stands
   * as a word in the arguments and `before` (and, at {@link complete}, `after` and the error
   * message), and a target id that is the login becomes the member's id. Other rows are stored as
   * given, even when a word of them equals such a login (an ecosystem slug).
   * @returns the event's id, for {@link complete}.
   * @throws AuditException AUDIT_UNAVAILABLE when the row cannot be written (the caller must then refuse the change).
   */
  async begin(start: AuditStart): Promise<string> {
    try {
      const args = redactForAudit(start.arguments ?? {});
      const erased = await this.erasedLogins(memberRefs(args));
      const before = start.before === null || start.before === undefined ? null : scrubErasedLogins(redactForAudit(start.before), erased.logins);
      const targetId = start.target?.id ?? null;
      const [row]: Array<{ id: string }> = await this.dataSource.query(
        `INSERT INTO audit_event (actor, actor_role, request_id, operation, target_type, target_id, arguments, before)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) RETURNING id::text AS id`,
        [
          start.actor,
          start.actorRole,
          start.requestId,
          start.operation,
          start.target?.type ?? null,
          targetId === null ? null : (erased.memberByLogin.get(targetId.trim().replace(/^@/, '').toLowerCase()) ?? targetId),
          JSON.stringify(scrubErasedLogins(args, erased.logins)),
          before === null ? null : JSON.stringify(before),
        ],
      );
      if (erased.logins.size > 0) this.erasedByEvent.set(row.id, erased.logins);
      return row.id;
    } catch (error) {
      throw new AuditException(`The audit log could not record ${start.operation}: ${error instanceof Error ? error.message : String(error)}`, AuditExceptionCode.AUDIT_UNAVAILABLE, {
        cause: error,
      });
    }
  }

  /**
   * Records how a change begun with {@link begin} ended. Only a pending row is completed (a second
   * call changes nothing). A target id learnt from the result fills a target id not known before.
   * The erased logins {@link begin} found in the arguments are scrubbed from `after` and the message.
   */
  async complete(id: string, end: AuditEnd): Promise<void> {
    const erased = this.erasedByEvent.get(id) ?? new Set<string>();
    this.erasedByEvent.delete(id);
    if (end.status === 'ok') {
      await this.dataSource.query(
        `UPDATE audit_event SET status = 'ok', completed_at = now(), after = $2::jsonb, target_id = COALESCE(target_id, $3)
         WHERE id = $1 AND status = 'pending'`,
        [id, JSON.stringify(scrubErasedLogins(redactForAudit(end.after), erased)), end.targetId ?? null],
      );
      return;
    }
    await this.dataSource.query(
      `UPDATE audit_event SET status = 'error', completed_at = now(), error_code = $2, error_message = $3
       WHERE id = $1 AND status = 'pending'`,
      [id, end.code, scrubText(redactForAudit(end.message.slice(0, MAX_ERROR_MESSAGE)) as string, erased)],
    );
  }

  /**
   * Which of `refs` (lower-cased logins) are logins of erased members, and each one's member id,
   * from `erasure_suppression` (only keyed hashes are kept there: each candidate is hashed to look).
   */
  private async erasedLogins(refs: string[]): Promise<{ logins: Set<string>; memberByLogin: Map<string, string> }> {
    if (refs.length === 0) return { logins: new Set(), memberByLogin: new Map() };
    const rows: Array<{ login: string; member_id: string }> = await this.dataSource.query(
      `SELECT k.login, s.member_id FROM unnest($1::text[]) AS k(login)
         JOIN erasure_suppression s ON s.key_hash = erasure_key_hash('login:' || k.login)`,
      [refs],
    );
    return { logins: new Set(rows.map((row) => row.login)), memberByLogin: new Map(rows.map((row) => [row.login, row.member_id])) };
  }

  /**
   * Runs `work` as an audited change outside GraphQL (e.g. a CLI command): {@link begin} first (a
   * failure refuses the change: `work` does not run), then {@link complete} with `after(result)`,
   * or with the error's code (its `code` when a string, else INTERNAL_SERVER_ERROR) and message,
   * which is thrown on. The `id` of `after(result)`, when a string, fills a target id not known before.
   */
  async record<T>(start: AuditStart, work: () => Promise<T>, after: (result: T) => unknown = (result) => result): Promise<T> {
    const id = await this.begin(start);
    let result: T;
    try {
      result = await work();
    } catch (error) {
      const code = (error as { code?: unknown })?.code;
      await this.complete(id, {
        status: 'error',
        code: typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
    const recorded = after(result);
    const targetId = (recorded as { id?: unknown } | null)?.id;
    await this.complete(id, { status: 'ok', after: recorded, targetId: typeof targetId === 'string' ? targetId : null });
    return result;
  }

  /**
   * Audit events matching the filter, newest first (in the order the changes started: by id), as a cursor connection.
   * @throws AuditException BAD_USER_INPUT when `from` is not before `to`; QueryException BAD_USER_INPUT
   *   for `first` outside 1–100 or a foreign cursor.
   */
  async list(args: AuditEventListArgs): Promise<LazyCountPage<AuditEventView>> {
    const first = pageSizeSchema.parse(args.first);
    const filter = args.filter ?? {};
    if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) {
      throw new AuditException('filter.from must be before filter.to', AuditExceptionCode.BAD_USER_INPUT);
    }
    const conditions: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (filter.actor != null) conditions.push(`actor = ${param(filter.actor)}`);
    if (filter.operation != null) conditions.push(`operation = ${param(filter.operation)}`);
    if (filter.targetType != null) conditions.push(`target_type = ${param(filter.targetType)}`);
    if (filter.targetId != null) conditions.push(`target_id = ${param(filter.targetId)}`);
    if (filter.status != null) conditions.push(`status = ${param(filter.status)}`);
    if (filter.from) conditions.push(`occurred_at >= ${param(filter.from)}`);
    if (filter.to) conditions.push(`occurred_at < ${param(filter.to)}`);
    const where = (extra: string[]) => (extra.length ? `WHERE ${extra.join(' AND ')}` : '');
    const filterParams = [...params];
    const filterConditions = [...conditions];
    if (args.after) {
      const [id] = decodeCursor(CURSOR_KIND, args.after, z.tuple([z.string().regex(/^\d{1,18}$/)]));
      conditions.push(`id < ${param(id)}::bigint`);
    }
    const rows: AuditEventRow[] = await this.dataSource.query(
      `SELECT id::text AS id, occurred_at, completed_at, actor, actor_role, request_id, operation, target_type, target_id,
              arguments, before, after, status, error_code, error_message
       FROM audit_event ${where(conditions)}
       ORDER BY audit_event.id DESC
       LIMIT ${param(first + 1)}`,
      params,
    );
    const totalCount = lazyCount(async () => {
      const [count]: Array<{ n: number }> = await this.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_event ${where(filterConditions)}`,
        filterParams,
      );
      return count.n;
    });
    return toPage(rows, first, args.after, totalCount, (row) => ({
      cursor: encodeCursor(CURSOR_KIND, [row.id]),
      node: toView(row),
    }));
  }
}

function toView(row: AuditEventRow): AuditEventView {
  return {
    id: row.id,
    occurredAt: row.occurred_at,
    completedAt: row.completed_at,
    actor: row.actor,
    actorRole: row.actor_role,
    requestId: row.request_id,
    operation: row.operation,
    targetType: row.target_type,
    targetId: row.target_id,
    arguments: row.arguments,
    before: row.before,
    after: row.after,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
  };
}
