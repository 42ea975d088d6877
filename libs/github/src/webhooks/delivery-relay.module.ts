import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { DeliveryRelayService } from './delivery-relay.service.js';

/** The outbox relay of stored webhook deliveries (see {@link DeliveryRelayService}), run by apps/api. */
@Module({
  imports: [QueueModule],
  providers: [DeliveryRelayService],
  exports: [DeliveryRelayService],
})
export class DeliveryRelayModule {}
