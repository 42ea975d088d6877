import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import type { DeliveryStatus } from '#libs/github';
import type { SameValues } from '../activities/activity.type.js';
import { PageInfoObject } from '../graphql/page-info.type.js';

/** `WebhookDelivery.status` values (the values are the stored statuses). */
export enum WebhookDeliveryStatusEnum {
  RECEIVED = 'received',
  PROCESSED = 'processed',
  IGNORED = 'ignored',
  FAILED = 'failed',
}
const _statusesMatch: SameValues<`${WebhookDeliveryStatusEnum}`, DeliveryStatus> = true;

registerEnumType(WebhookDeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  description: 'Processing state of a stored GitHub webhook delivery.',
  valuesMap: {
    RECEIVED: { description: 'Stored and acknowledged; its processing job waits, runs or retries.' },
    PROCESSED: { description: 'Normalised into activities and entity upserts.' },
    IGNORED: { description: 'Recognised but not used (an event or action Cambrian does not record).' },
    FAILED: { description: 'Every processing attempt failed; `error` says why. `redeliverWebhookDelivery` queues it again.' },
  },
});

/** What `redeliverWebhookDelivery` did. */
export enum RedeliveryOutcomeEnum {
  QUEUED = 'queued',
  ALREADY_DONE = 'already-done',
}

registerEnumType(RedeliveryOutcomeEnum, {
  name: 'RedeliveryOutcome',
  description: 'What a redelivery did.',
  valuesMap: {
    QUEUED: { description: 'A job now waits to process the delivery (added, moved back from the failed list, or already waiting or running).' },
    ALREADY_DONE: { description: 'The delivery is PROCESSED or IGNORED: processing it again would change nothing, so no job was added.' },
  },
});

@ObjectType('WebhookDelivery', {
  description: 'A GitHub webhook delivery as stored before it was acknowledged (the payload is not shown). Admins only.',
})
export class WebhookDeliveryObject {
  @Field(() => ID, { description: 'Row id of the stored delivery (the argument of `redeliverWebhookDelivery`).' })
  id: string;

  @Field({ description: 'The `X-GitHub-Delivery` GUID GitHub gave the delivery (what GitHub\'s "Recent Deliveries" list shows).' })
  deliveryId: string;

  @Field({ description: 'The `X-GitHub-Event` header, e.g. `push`, `pull_request`, `issues`.' })
  event: string;

  @Field(() => String, { nullable: true, description: 'The payload\'s `action`, e.g. `opened`, `closed`; null for events without one (e.g. `push`).' })
  action: string | null;

  @Field(() => WebhookDeliveryStatusEnum, { description: 'Processing state.' })
  status: WebhookDeliveryStatusEnum;

  @Field(() => Int, { description: 'Processing runs so far (each attempt of a job counts one, a replay of a done delivery none).' })
  attempts: number;

  @Field(() => String, { nullable: true, description: 'Error message of the last failed run (at most 2,000 characters); null once processed.' })
  error: string | null;

  @Field(() => Date, { description: 'When the api stored the delivery (UTC instant).' })
  receivedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When processing ended as PROCESSED or IGNORED (UTC instant); null before.' })
  processedAt: Date | null;
}

@ObjectType('WebhookDeliveryEdge', { description: 'A stored delivery in a connection.' })
export class WebhookDeliveryEdgeObject {
  @Field({ description: 'Opaque cursor: pass as `after` to read the (older) deliveries after this one.' })
  cursor: string;

  @Field(() => WebhookDeliveryObject, { description: 'The delivery.' })
  node: WebhookDeliveryObject;
}

@ObjectType('WebhookDeliveryConnection', { description: 'A page of stored webhook deliveries, newest first.' })
export class WebhookDeliveryConnectionObject {
  @Field(() => [WebhookDeliveryEdgeObject], { description: 'Deliveries of this page.' })
  edges: WebhookDeliveryEdgeObject[];

  @Field(() => PageInfoObject, { description: 'Paging state.' })
  pageInfo: PageInfoObject;

  @Field(() => Int, { description: 'Deliveries matching the filter, across all pages (counted only when asked for).' })
  totalCount: number;
}

@ObjectType('WebhookRedelivery', { description: 'The result of `redeliverWebhookDelivery`.' })
export class WebhookRedeliveryObject {
  @Field(() => RedeliveryOutcomeEnum, { description: 'What the redelivery did.' })
  outcome: RedeliveryOutcomeEnum;

  @Field(() => WebhookDeliveryObject, { description: 'The delivery as it is after the call (a FAILED delivery is RECEIVED again).' })
  delivery: WebhookDeliveryObject;
}
