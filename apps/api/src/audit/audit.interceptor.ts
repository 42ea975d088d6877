import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { catchError, finalize, from, mergeMap, throwError, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuditService, AuditTargetLock, targetKey, type AuditEnd, type AuditTargetRelease } from '#libs/audit';
import { viewerActor } from '#libs/auth';
import { AffiliationService, MemberQueryService, StageRulesService } from '#libs/members';
import type { GqlContext } from '../graphql/graphql-context.js';
import { classifyError } from '../graphql/graphql-error-mapper.js';
import { AUDITED_MUTATIONS, type AuditLoaderDeps } from './audited-mutations.js';

/**
 * Records every root GraphQL mutation in the audit log (libs/audit) without any resolver taking
 * part. Nest runs it for every resolver of the app (APP_INTERCEPTOR), after the access guards, so
 * what it records are changes the caller was allowed to attempt:
 *
 * 1. before the resolver runs: reads the target's current state with the mutation's loader
 *    (audited-mutations.ts) and writes a `pending` row (committed at once). When that write fails
 *    the mutation is refused (INTERNAL_SERVER_ERROR, logged with the request id): nothing changes
 *    unrecorded;
 * 2. after: completes the row `ok` with the result as `after`, or `error` with the API error code
 *    and message the caller gets. A crash in between leaves the row `pending`. A failure to
 *    complete it is logged and leaves it `pending`; the caller still gets the result of a change
 *    that was made.
 *
 * A `before` loader that fails does not stop the change: the row gets `before: {"unavailable": ...}`.
 *
 * `before` and `after` are consistent with each other against other audited changes: before it reads
 * `before`, the interceptor takes the target's lock (AuditTargetLock, a Postgres advisory lock on a
 * pool of its own) and holds it until the row is completed, so a second change of the same target
 * waits, then reads as its `before` the state the first one left. When `before` is the target's own
 * row (`beforeIsTarget`) and names it by another id than the arguments do (a hackathon by slug,
 * read back with its UUID), that id is locked too and `before` read again, so both spellings
 * serialise. A lock that cannot be taken in
 * time refuses the mutation like an audit row that cannot be written. The mutation's own
 * transaction is not joined (each service opens its own, deep inside the resolver): a row lock
 * taken here would make it wait on its own request (a self-deadlock), which the advisory lock does
 * not. Writers that are not audited mutations (sync, workers) are not serialised with it.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');
  private deps?: AuditLoaderDeps;

  constructor(
    private readonly audit: AuditService,
    private readonly locks: AuditTargetLock,
    private readonly moduleRef: ModuleRef,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<GraphQLResolveInfo>();
    if (info.parentType.name !== info.schema.getMutationType()?.name || info.path.prev !== undefined) return next.handle();
    const ctx = gql.getContext<GqlContext>();
    const args: Record<string, unknown> = gql.getArgs() ?? {};
    const operation = info.fieldName;
    const spec = AUDITED_MUTATIONS[operation];
    const target = spec ? { type: spec.targetType, id: targetId(spec.targetId?.(args)) } : null;
    const releases: AuditTargetRelease[] = [];
    const release = () => Promise.all(releases.splice(0).map((unlock) => unlock())).then(() => undefined);
    let id: string;
    try {
      let before: unknown = null;
      if (target?.id) {
        releases.push(await this.locks.lock({ type: target.type, id: target.id }));
      }
      if (spec && 'before' in spec) {
        const load = () => this.before(operation, () => spec.before(args, this.loaderDeps()));
        before = await load();
        const canonical = targetId((before as { id?: unknown } | null)?.id);
        if (spec.beforeIsTarget && target?.id && canonical && targetKey({ type: target.type, id: canonical }) !== targetKey({ type: target.type, id: target.id })) {
          releases.push(await this.locks.lock({ type: target.type, id: canonical }));
          before = await load();
        }
      }
      id = await this.audit.begin({
        actor: viewerActor(ctx.viewer),
        actorRole: ctx.viewer?.role ?? null,
        requestId: ctx.requestId ?? null,
        operation,
        target,
        arguments: args,
        before: spec && 'before' in spec ? before : null,
      });
    } catch (error) {
      await release();
      throw error;
    }
    return next.handle().pipe(
      mergeMap((result) => from(this.complete(id, operation, { status: 'ok', after: result, targetId: targetId((result as { id?: unknown } | null)?.id) })).pipe(mergeMap(() => [result]))),
      catchError((error: unknown) => from(this.complete(id, operation, endOf(error))).pipe(mergeMap(() => throwError(() => error)))),
      finalize(() => void release()),
    );
  }

  private async before(operation: string, load: () => Promise<unknown>): Promise<unknown> {
    try {
      return (await load()) ?? null;
    } catch (error) {
      this.logger.warn(`reading the state before ${operation} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { unavailable: error instanceof Error ? error.message : String(error) };
    }
  }

  private async complete(id: string, operation: string, end: AuditEnd): Promise<void> {
    try {
      await this.audit.complete(id, end);
    } catch (error) {
      this.logger.error(`audit event ${id} (${operation}) stays pending: recording its end failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  private loaderDeps(): AuditLoaderDeps {
    this.deps ??= {
      db: this.moduleRef.get(DataSource, { strict: false }),
      members: this.moduleRef.get(MemberQueryService, { strict: false }),
      stageRules: this.moduleRef.get(StageRulesService, { strict: false }),
      affiliations: this.moduleRef.get(AffiliationService, { strict: false }),
    };
    return this.deps;
  }
}

/** An id as text, or null for anything that is not a non-empty string or a number. */
function targetId(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The API error code and message the caller gets for `error` (see the error mapper); unknown errors keep their own message here (admins read it, scrubbed). */
export function endOf(error: unknown): AuditEnd {
  const classified = classifyError(error);
  if (classified.known && 'message' in classified) {
    return { status: 'error', code: String(classified.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), message: classified.message };
  }
  const original = error instanceof Error ? error : new Error(String(error));
  const code = classified.known ? String((error as { extensions?: { code?: unknown } }).extensions?.code ?? 'GRAPHQL_ERROR') : 'INTERNAL_SERVER_ERROR';
  return { status: 'error', code, message: original.message };
}
