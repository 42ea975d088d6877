import { Args, Context, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { WebhookDeliveryAdminService, type WebhookDeliveryView } from '#libs/github';
import type { LazyCountPage } from '#libs/members';
import { AdminOnly, assertAdminViewer } from '../graphql/admin-only.decorator.js';
import type { GqlContext } from '../graphql/graphql-context.js';
import { RedeliverWebhookDeliveryArgs, WebhookDeliveriesArgs } from './webhook-deliveries.args.js';
import {
  RedeliveryOutcomeEnum,
  WebhookDeliveryConnectionObject,
  WebhookDeliveryObject,
  WebhookDeliveryStatusEnum,
  WebhookRedeliveryObject,
} from './webhook-delivery.type.js';

const ADMIN_ERRORS = 'Needs an admin API token or an admin session: UNAUTHENTICATED without one, FORBIDDEN with another role.';

/** Stored GitHub webhook deliveries, for admins: the list and the redelivery of one. */
@Resolver(() => WebhookDeliveryObject)
export class WebhookDeliveriesResolver {
  constructor(private readonly deliveries: WebhookDeliveryAdminService) {}

  @AdminOnly()
  @Query(() => WebhookDeliveryConnectionObject, {
    description:
      'Stored GitHub webhook deliveries, newest first, as a cursor connection (status, event, action, when received, attempts, last error; ' +
      `not the payload). Errors: BAD_USER_INPUT (first outside 1–100, a foreign cursor). ${ADMIN_ERRORS}`,
  })
  async webhookDeliveries(@Args() args: WebhookDeliveriesArgs) {
    const page = await this.deliveries.list(args);
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: toObject(edge.node) })) };
  }

  @AdminOnly()
  @Mutation(() => WebhookRedeliveryObject, {
    description:
      'Queues the processing of a stored delivery again (e.g. once the cause of its failure is fixed): a FAILED delivery becomes RECEIVED ' +
      'and its job is moved back from the failed list with its attempts reset, or added when none is kept. Processing stays once in effect: ' +
      'calling twice queues one job, and a PROCESSED or IGNORED delivery is left alone (outcome ALREADY_DONE). ' +
      `NOT_FOUND when no delivery has this id. ${ADMIN_ERRORS}`,
  })
  async redeliverWebhookDelivery(@Args() { id }: RedeliverWebhookDeliveryArgs): Promise<WebhookRedeliveryObject> {
    const { delivery, outcome } = await this.deliveries.redeliver(id);
    return { outcome: outcome as RedeliveryOutcomeEnum, delivery: toObject(delivery) };
  }
}

@Resolver(() => WebhookDeliveryConnectionObject)
export class WebhookDeliveryConnectionResolver {
  @ResolveField(() => Int, { description: 'Deliveries matching the filter across all pages (counted only when asked for).' })
  totalCount(@Parent() connection: LazyCountPage<WebhookDeliveryView>, @Context() ctx: GqlContext) {
    assertAdminViewer(ctx.viewer, 'WebhookDeliveryConnection.totalCount');
    return connection.totalCount();
  }
}

/** A delivery as GraphQL shows it. */
function toObject(delivery: WebhookDeliveryView): WebhookDeliveryObject {
  return {
    id: delivery.id,
    deliveryId: delivery.deliveryId,
    event: delivery.event,
    action: delivery.action,
    status: delivery.status as WebhookDeliveryStatusEnum,
    attempts: delivery.attempts,
    error: delivery.error,
    receivedAt: delivery.receivedAt,
    processedAt: delivery.processedAt,
  };
}
