import { Module } from '@nestjs/common';
import { JudgingAutoAssignService } from './judging-auto-assign.service.js';
import { JudgingResultsService } from './judging-results.service.js';
import { JudgingScoringService } from './judging-scoring.service.js';
import { JudgingSetupService } from './judging-setup.service.js';

/** Hackathon judging: criteria, judges, assignments, scores, results, progress. Needs the DatabaseModule. */
@Module({
  providers: [JudgingSetupService, JudgingScoringService, JudgingResultsService, JudgingAutoAssignService],
  exports: [JudgingSetupService, JudgingScoringService, JudgingResultsService, JudgingAutoAssignService],
})
export class JudgingModule {}
