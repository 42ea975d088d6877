import { Module } from '@nestjs/common';
import { MatchingModule } from '#libs/hackathons';
import { AdminGuard } from '../../graphql/admin-only.decorator.js';
import { ResourcesResolver } from './resources.resolver.js';

/** GraphQL of hackathon resource matching: resources and requests. */
@Module({
  imports: [MatchingModule],
  providers: [AdminGuard, ResourcesResolver],
})
export class MatchingApiModule {}
