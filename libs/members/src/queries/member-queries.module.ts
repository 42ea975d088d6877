import { Module } from '@nestjs/common';
import { ActivityQueryService } from './activity-query.service.js';
import { EcosystemQueryService } from './ecosystem-query.service.js';
import { leaderboardCacheProvider } from './leaderboard-cache.provider.js';
import { LeaderboardService } from './leaderboard.service.js';
import { MemberQueryService } from './member-query.service.js';
import { RepositoryQueryService } from './repository-query.service.js';

/** Read models behind the public API: members, activities, leaderboard, ecosystems and repositories. */
@Module({
  providers: [
    MemberQueryService,
    ActivityQueryService,
    LeaderboardService,
    leaderboardCacheProvider,
    RepositoryQueryService,
    EcosystemQueryService,
  ],
  exports: [MemberQueryService, ActivityQueryService, LeaderboardService, RepositoryQueryService, EcosystemQueryService],
})
export class MemberQueriesModule {}
