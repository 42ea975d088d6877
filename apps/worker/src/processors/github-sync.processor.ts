import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { EcosystemSyncService, RepositorySyncService } from '#libs/github';
import { JobName, QueueName, type DiscoverRepositoriesJobData, type SyncRepositoryJobData } from '#libs/queue';

/** A job name this queue has no handler for (a producer bug, or a newer producer than this worker). */
export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.GithubSync}`);
    this.name = 'UnknownJobError';
  }
}

/** Runs `github-sync` jobs: discovery (which fans out one job per repository) and repository syncs. */
@Processor(QueueName.GithubSync)
export class GithubSyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly ecosystemSync: EcosystemSyncService,
    private readonly repositorySync: RepositorySyncService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {
    super();
  }

  /** Applies `WORKER_CONCURRENCY` (jobs at once in this process; requests are limited per token by the client). */
  onApplicationBootstrap(): void {
    if (this.worker) this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.DiscoverRepositories:
        return this.ecosystemSync.discoverAndSchedule((job.data as DiscoverRepositoriesJobData).ecosystemId);
      case JobName.SyncRepository:
        return this.repositorySync.syncRepository((job.data as SyncRepositoryJobData).repositoryId);
      default:
        throw new UnknownJobError(job.name);
    }
  }
}
