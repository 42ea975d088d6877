import { Args, Context, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { AuditService, type AuditEventView } from '#libs/audit';
import type { LazyCountPage } from '#libs/members';
import { AdminOnly, assertAdminViewer } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { AuditEventsArgs } from './audit-events.args.js';
import { AuditEventConnectionObject, AuditEventObject, AuditStatusEnum } from './audit-event.type.js';

/** The audit log, for admins. */
@Resolver(() => AuditEventObject)
export class AuditEventsResolver {
  constructor(private readonly audit: AuditService) {}

  @AdminOnly()
  @Query(() => AuditEventConnectionObject, {
    description:
      'The audit log: every root mutation run by an authorised caller (who, when, what, before/after, outcome), newest first, as a ' +
      'cursor connection. Errors: BAD_USER_INPUT (first outside 1–100, a foreign cursor, `from` not before `to`). Needs an admin API ' +
      'token or an admin session: UNAUTHENTICATED without one, FORBIDDEN with another role.',
  })
  async auditEvents(@Args() args: AuditEventsArgs) {
    const page = await this.audit.list(args);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toObject(edge.node) })) };
  }
}

@Resolver(() => AuditEventConnectionObject)
export class AuditEventConnectionResolver {
  @ResolveField(() => Int, { description: 'Events matching the filter across all pages (counted only when asked for).' })
  totalCount(@Parent() connection: LazyCountPage<AuditEventView>, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'AuditEventConnection.totalCount');
    return connection.totalCount();
  }
}

/** An event as GraphQL shows it: JSON columns as JSON text, and the outcome in one line. */
export function toObject(event: AuditEventView): AuditEventObject {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    completedAt: event.completedAt,
    actor: event.actor,
    actorRole: event.actorRole,
    requestId: event.requestId,
    operation: event.operation,
    targetType: event.targetType,
    targetId: event.targetId,
    arguments: JSON.stringify(event.arguments),
    before: event.before === null ? null : JSON.stringify(event.before),
    after: event.after === null ? null : JSON.stringify(event.after),
    status: event.status as AuditStatusEnum,
    outcome: event.status === 'error' ? `${event.errorCode}: ${event.errorMessage ?? ''}` : event.status,
    errorCode: event.errorCode,
    errorMessage: event.errorMessage,
  };
}
