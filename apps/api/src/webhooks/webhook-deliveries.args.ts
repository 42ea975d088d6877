import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { WebhookDeliveryStatusEnum } from './webhook-delivery.type.js';

@ArgsType()
export class WebhookDeliveriesArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1–100; outside that range: BAD_USER_INPUT.' })
  first: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page (`pageInfo.endCursor`).' })
  after?: string | null;

  @Field(() => WebhookDeliveryStatusEnum, { nullable: true, description: 'Only deliveries in this state; every delivery when absent.' })
  status?: WebhookDeliveryStatusEnum | null;
}

@ArgsType()
export class RedeliverWebhookDeliveryArgs {
  @Field(() => ID, { description: 'Row id of the stored delivery (`WebhookDelivery.id`).' })
  id: string;
}
