import { Module } from '@nestjs/common';
import { StagesModule } from '#libs/members';
import { QueueModule } from '#libs/queue';
import { MemberStageResolver } from '../members/member-stage.resolver.js';
import { StagesResolver } from './stages.resolver.js';

/** GraphQL of stages: funnel, cohorts, ready-for-next-step lists, rules, and Member.stage / stages / path. */
@Module({
  imports: [StagesModule, QueueModule],
  providers: [StagesResolver, MemberStageResolver],
})
export class StagesApiModule {}
