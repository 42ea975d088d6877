import { Module } from '@nestjs/common';
import { QueueModule } from '#libs/queue';
import { ResourceRequestService } from '../resources/resource-request.service.js';
import { ResourceService } from '../resources/resource.service.js';

const SERVICES = [ResourceService, ResourceRequestService];

/**
 * Resource matching of hackathons: resources and teams' requests. Needs the DatabaseModule
 * (and Redis for the queue).
 */
@Module({
  imports: [QueueModule],
  providers: SERVICES,
  exports: SERVICES,
})
export class MatchingModule {}
