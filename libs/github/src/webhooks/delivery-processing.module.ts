import { Module } from '@nestjs/common';
import { MembersModule } from '#libs/members';
import { DeliveryProcessingService } from './delivery-processing.service.js';

/** The processing side of webhooks (normalise a stored delivery, apply it), used by apps/worker. */
@Module({
  imports: [MembersModule],
  providers: [DeliveryProcessingService],
  exports: [DeliveryProcessingService],
})
export class DeliveryProcessingModule {}
