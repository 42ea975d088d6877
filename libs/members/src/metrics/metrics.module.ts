import { Module } from '@nestjs/common';
import { MemberQueriesModule } from '../queries/member-queries.module.js';
import { CommunityMetricsService } from './community-metrics.service.js';
import { ItemFlowService } from './item-flow.service.js';
import { MetricScopeResolver } from './metric-scope.js';

/** CHAOSS community metrics and the issue / pull request flow. */
@Module({
  imports: [MemberQueriesModule],
  providers: [MetricScopeResolver, CommunityMetricsService, ItemFlowService],
  exports: [MetricScopeResolver, CommunityMetricsService, ItemFlowService],
})
export class MetricsModule {}
