import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { JobName, QueueName, type DiscoverRepositoriesJobData, type SyncRepositoryJobData } from '#libs/queue';

/** What happened to a sync request. */
export interface EnqueueResult {
  /** The job that will do the work: the new one, the one already waiting, or (deferred) the one to run after. */
  jobId: string;
  /**
   * `queued`: a new job; `deduplicated`: one for the same target was waiting, it will do the
   * work (a deliberate, logged, counted skip); `deferred`: one is running, so this request
   * runs once it finishes (BullMQ `keepLastIfActive`).
   */
  status: 'queued' | 'deduplicated' | 'deferred';
}

/** Counts of sync requests by outcome since this process started. */
export interface SchedulerStats {
  queued: number;
  deduplicated: number;
  deferred: number;
}

/** Jobs kept after they finish, for inspection; they never block a later job (ids are unique). */
const KEEP: Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'> = {
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5000 },
};

/**
 * Enqueues sync jobs on `github-sync` with ids only in the payload.
 *
 * Case S4 (shared/cases/sync.md; taskforcesh/bullmq #1337): a fixed job id would make a later
 * request a silent no-op while a completed job with that id is kept. Here every job has a
 * unique id, and duplicates are refused through BullMQ deduplication
 * (`deduplication: { id: 'sync-repository-<id>', keepLastIfActive: true }`): the dedup key
 * lives only while the job waits or runs, a request while one waits is dropped (that job will
 * read the latest state), a request while one runs is kept and runs after it. Skips are logged
 * and counted. Job and deduplication ids never contain `:` (BullMQ's key separator).
 */
@Injectable()
export class SyncSchedulerService {
  private readonly logger = new Logger(SyncSchedulerService.name);
  private readonly counts: SchedulerStats = { queued: 0, deduplicated: 0, deferred: 0 };

  constructor(@InjectQueue(QueueName.GithubSync) private readonly queue: Queue) {}

  /** Asks for repository discovery of an ecosystem (then one sync job per repository). */
  requestDiscovery(ecosystemId: number): Promise<EnqueueResult> {
    const data: DiscoverRepositoriesJobData = { ecosystemId };
    return this.enqueue(JobName.DiscoverRepositories, `discover-repositories-${ecosystemId}`, data);
  }

  /** Asks for a sync of one repository (GitHub id). */
  requestRepositorySync(repositoryId: number): Promise<EnqueueResult> {
    const data: SyncRepositoryJobData = { repositoryId };
    return this.enqueue(JobName.SyncRepository, `sync-repository-${repositoryId}`, data);
  }

  /** Asks for a sync of each repository. */
  async requestRepositorySyncs(repositoryIds: number[]): Promise<EnqueueResult[]> {
    const results: EnqueueResult[] = [];
    for (const id of repositoryIds) results.push(await this.requestRepositorySync(id));
    return results;
  }

  /** Requests by outcome since this process started. */
  stats(): SchedulerStats {
    return { ...this.counts };
  }

  private async enqueue(name: JobName, dedupId: string, data: object): Promise<EnqueueResult> {
    const jobId = `${dedupId}-${randomUUID()}`;
    const job = await this.queue.add(name, data, {
      jobId,
      deduplication: { id: dedupId, keepLastIfActive: true },
      attempts: 5,
      backoff: { type: 'exponential', delay: 30_000 },
      ...KEEP,
    });
    if (job.id === jobId) {
      this.counts.queued += 1;
      return { jobId, status: 'queued' };
    }
    const existing = job.id ?? 'unknown';
    const running = (await this.queue.getJobState(existing).catch(() => 'unknown')) === 'active';
    const status = running ? 'deferred' : 'deduplicated';
    this.counts[status] += 1;
    this.logger.log(
      running
        ? `${name} ${dedupId}: job ${existing} is running; this request runs after it`
        : `${name} ${dedupId}: job ${existing} is already waiting; request skipped`,
    );
    return { jobId: running ? jobId : existing, status };
  }
}
