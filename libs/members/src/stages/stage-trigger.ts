import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { JobName, QueueName, type EvaluateStagesJobData, type RecomputeStagesJobData } from '#libs/queue';
import { StageService } from './stage.service.js';

/** Activity ids per `evaluate-stages` job. */
const ACTIVITIES_PER_JOB = 5000;

/** Without a queue, members collected before they are evaluated together. */
export const MAX_PENDING_MEMBERS = 50_000;

/**
 * Where activities are written (webhooks, the sync, GH Archive imports) this requests the stage
 * evaluation of the members concerned. With the `stages` queue (api, worker): an
 * `evaluate-stages` job carrying activity ids only; if Redis refuses the job, the evaluation runs
 * here and now, so a promotion is never lost. Without a queue (a CLI import): the members are
 * collected and evaluated together — once each, however many batches they appear in — when
 * {@link MAX_PENDING_MEMBERS} are waiting, on {@link flush}, and before the application shuts
 * down. Either way the transitions are dated at the activities, not at the evaluation.
 *
 * Jobs wait one second before they run: the sync writes a page's pull request rows (who merged
 * them) just after their activities, and the merger's evaluation should see them.
 */
@Injectable()
export class StageTrigger implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Stages');
  private queue: Queue | null | undefined;
  private readonly pendingMembers = new Set<string>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly stages: StageService,
  ) {}

  /** Requests the evaluation of the members of newly written activities (`activity.id` values). */
  async activitiesWritten(activityIds: Array<string | number>): Promise<void> {
    if (activityIds.length === 0) return;
    const ids = activityIds.map(String);
    const queue = this.stagesQueue();
    if (queue) {
      try {
        for (let start = 0; start < ids.length; start += ACTIVITIES_PER_JOB) {
          const data: EvaluateStagesJobData = { activityIds: ids.slice(start, start + ACTIVITIES_PER_JOB) };
          await queue.add(JobName.EvaluateStages, data, {
            delay: 1000,
            attempts: 5,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: 1000,
            removeOnFail: 1000,
          });
        }
        return;
      } catch (error) {
        this.logger.warn(`could not enqueue a stage evaluation (${error instanceof Error ? error.message : String(error)}); evaluating now`);
      }
    }
    if (queue) {
      await this.stages.evaluateActivities(ids);
      return;
    }
    for (const memberId of await this.stages.membersOfActivities(ids)) this.pendingMembers.add(memberId);
    if (this.pendingMembers.size >= MAX_PENDING_MEMBERS) await this.flush();
  }

  /**
   * Whether activity writes request their evaluations through the outbox (`stage_evaluation_outbox`,
   * in the statement that inserts them; see {@link StageOutboxRelay}): true where the `stages` queue
   * exists (api, worker). Without a queue (a CLI import) they call {@link activitiesWritten}.
   */
  usesOutbox(): boolean {
    return this.stagesQueue() !== null;
  }

  /** Evaluates the members collected without a queue (nothing to do with one). */
  async flush(): Promise<void> {
    const memberIds = [...this.pendingMembers];
    this.pendingMembers.clear();
    if (memberIds.length > 0) await this.stages.evaluateMembers(memberIds);
  }

  /** The members still collected are evaluated before the database connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /**
   * Requests a recomputation of an ecosystem's members (or all, with null) after its rules
   * changed: a `recompute-stages` job, or inline without a queue.
   * @returns whether it was queued (false: already done inline).
   */
  async recomputeRequested(ecosystemId: number | null): Promise<boolean> {
    const queue = this.stagesQueue();
    if (queue) {
      const data: RecomputeStagesJobData = { ecosystemId };
      await queue.add(JobName.RecomputeStages, data, { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: 100, removeOnFail: 100 });
      return true;
    }
    await this.stages.recomputeEcosystem(ecosystemId);
    return false;
  }

  private stagesQueue(): Queue | null {
    if (this.queue !== undefined) return this.queue;
    try {
      this.queue = this.moduleRef.get<Queue>(getQueueToken(QueueName.Stages), { strict: false });
    } catch {
      this.queue = null;
    }
    return this.queue;
  }
}
