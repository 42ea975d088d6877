import { Processor, WorkerHost } from '@nestjs/bullmq';
import type { Job } from 'bullmq';
import { StageService, type StageEvaluationResult } from '#libs/members';
import { JobName, QueueName, type EvaluateStageOutboxJobData, type EvaluateStagesJobData, type RecomputeStagesJobData } from '#libs/queue';

/** A job name the `stages` queue has no handler for (a producer bug, or a newer producer). */
export class UnknownStagesJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.Stages}`);
    this.name = 'UnknownStagesJobError';
  }
}

/**
 * Runs `stages` jobs (payloads carry ids only; StageService re-reads everything, so a job that
 * runs twice changes nothing the second time): evaluate what the stage evaluation outbox asked for
 * (or, from a producer without the outbox, the members of written activities), recompute an
 * ecosystem, and the scheduled lapse check.
 */
@Processor(QueueName.Stages)
export class StagesProcessor extends WorkerHost {
  constructor(private readonly stages: StageService) {
    super();
  }

  async process(job: Job): Promise<StageEvaluationResult | { evaluated: number }> {
    switch (job.name) {
      case JobName.EvaluateStages:
        return this.stages.evaluateActivities((job.data as EvaluateStagesJobData).activityIds);
      case JobName.EvaluateStageOutbox: {
        const { keys, seqs } = job.data as EvaluateStageOutboxJobData;
        return this.stages.evaluateOutbox(keys, seqs);
      }
      case JobName.RecomputeStages:
        return this.stages.recomputeEcosystem((job.data as RecomputeStagesJobData).ecosystemId);
      case JobName.CheckStageLapses:
        return { evaluated: await this.stages.checkLapses() };
      default:
        throw new UnknownStagesJobError(job.name);
    }
  }
}
