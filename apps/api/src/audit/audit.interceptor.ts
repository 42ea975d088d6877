import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { AuditService, type AuditEnd } from '#libs/audit';
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
 * `before` is the target's committed state read just before the resolver runs, in a statement of
 * its own, not in the mutation's transaction: a change committed by someone else between that read
 * and the mutation's own transaction is not in it (its own audit row shows it). Reading it inside
 * the mutation's transaction is not possible as the api is built:
 * - that transaction does not exist yet: each service opens its own (`dataSource.transaction`) on a
 *   connection of its own, deep inside the resolver, and nothing carries a transaction from here
 *   into it (no ambient, AsyncLocalStorage-bound transaction in libs/db);
 * - locking the target here instead (`FOR UPDATE` in a transaction of the interceptor's) would make
 *   the service's transaction wait on a lock held by its own request until that request ends: a
 *   self-deadlock;
 * - reading it in the service's transaction, after the change takes its locks, would leave `before`
 *   out of the `pending` row, which is committed before the change runs so that a crash leaves the
 *   state before on record (test/e2e/audit-log-kill.e2e-spec.ts).
 * Doing it would take services that join a transaction the interceptor opens (and REPEATABLE READ,
 * so that a concurrent change fails the mutation instead of slipping between the pair).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');
  private deps?: AuditLoaderDeps;

  constructor(
    private readonly audit: AuditService,
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
    const id = await this.audit.begin({
      actor: viewerActor(ctx.viewer),
      actorRole: ctx.viewer?.role ?? null,
      requestId: ctx.requestId ?? null,
      operation,
      target: spec ? { type: spec.targetType, id: targetId(spec.targetId?.(args)) } : null,
      arguments: args,
      before: spec && 'before' in spec ? await this.before(operation, () => spec.before(args, this.loaderDeps())) : null,
    });
    return next.handle().pipe(
      mergeMap((result) => from(this.complete(id, operation, { status: 'ok', after: result, targetId: targetId((result as { id?: unknown } | null)?.id) })).pipe(mergeMap(() => [result]))),
      catchError((error: unknown) => from(this.complete(id, operation, endOf(error))).pipe(mergeMap(() => throwError(() => error)))),
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
