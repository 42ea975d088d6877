import { Module } from '@nestjs/common';
import { funnelCacheProvider } from './funnel-cache.provider.js';
import { StageQueryService } from './stage-query.service.js';
import { StageRulesService } from './stage-rules.service.js';
import { StageService } from './stage.service.js';
import { StageTrigger } from './stage-trigger.js';

/** Stages on the path from user to maintainer: rules, evaluation, the trigger used where activities are written, read models. */
@Module({
  providers: [StageRulesService, StageService, StageTrigger, StageQueryService, funnelCacheProvider],
  exports: [StageRulesService, StageService, StageTrigger, StageQueryService],
})
export class StagesModule {}
