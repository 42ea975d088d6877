import { Module } from '@nestjs/common';
import { JudgingResultsService } from './judging-results.service.js';
import { JudgingScoringService } from './judging-scoring.service.js';
import { JudgingSetupService } from './judging-setup.service.js';

/** Hackathon judging: criteria, judges, assignments, scores, results, progress. Needs the DatabaseModule. */
@Module({
  providers: [JudgingSetupService, JudgingScoringService, JudgingResultsService],
  exports: [JudgingSetupService, JudgingScoringService, JudgingResultsService],
})
export class JudgingModule {}
