import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { ResourceRequestService } from '../resources/resource-request.service.js';
import { ResourceService } from '../resources/resource.service.js';
import { MatchingReviewService } from './matching-review.service.js';
import { MatchingRunService } from './matching-run.service.js';

const SERVICES = [ResourceService, ResourceRequestService, MatchingRunService, MatchingReviewService];

/**
 * Resource matching of hackathons: resources, requests, matching runs (a BullMQ job on the
 * `hackathons` queue, solved in a worker thread), review, pins, publishing and notifications.
 * Needs the DatabaseModule (and Redis for the queue).
 */
@Module({
  imports: [QueueModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class MatchingModule {}
