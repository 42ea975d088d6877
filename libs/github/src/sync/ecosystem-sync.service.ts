import { Injectable, Logger } from '@nestjs/common';
import { EcosystemService } from '../ecosystem/ecosystem.service.js';
import { RepositoryDiscoveryService, type DiscoveryResult } from './repository-discovery.service.js';
import { RepositorySyncService } from './repository-sync.service.js';
import { SyncProgressService, type SyncProgress } from './sync-progress.service.js';
import { SyncSchedulerService, type EnqueueResult } from './sync-scheduler.service.js';
import type { RepositorySyncResult, SyncRepositoryOptions } from './sync.types.js';

/** What a discovery job did: what it found and the sync jobs it asked for. */
export interface DiscoveryFanOut {
  discovery: DiscoveryResult;
  jobs: EnqueueResult[];
}

/** Options of an in-process ecosystem sync. */
export interface InProcessSyncOptions extends SyncRepositoryOptions {
  /** Repositories synced at once (default 3); requests are further limited per token by the client. */
  concurrency?: number;
  /** Called after discovery and after each repository, with progress read from the database. */
  onProgress?: (progress: SyncProgress) => void | Promise<void>;
}

/** The outcome of an in-process ecosystem sync. */
export interface EcosystemSyncResult {
  discovery: DiscoveryResult;
  repositories: RepositorySyncResult[];
  failures: Array<{ repositoryId: number; error: string }>;
  progress: SyncProgress;
}

/**
 * Runs an ecosystem's sync: discovery, then one repository sync per discovered repository —
 * either as queue jobs (the worker's path) or in this process (the CLI's `--wait`, tests).
 */
@Injectable()
export class EcosystemSyncService {
  private readonly logger = new Logger(EcosystemSyncService.name);

  constructor(
    private readonly ecosystems: EcosystemService,
    private readonly discovery: RepositoryDiscoveryService,
    private readonly repositories: RepositorySyncService,
    private readonly scheduler: SyncSchedulerService,
    private readonly progress: SyncProgressService,
  ) {}

  /** Discovers the ecosystem's repositories and enqueues one sync job per repository. */
  async discoverAndSchedule(ecosystemId: number): Promise<DiscoveryFanOut> {
    const discovery = await this.discovery.discover(ecosystemId);
    const jobs = await this.scheduler.requestRepositorySyncs(discovery.repositoryIds);
    return { discovery, jobs };
  }

  /**
   * The scheduled reconciliation (issue 3: re-sync what webhooks may have missed, since GitHub
   * does not redeliver failed deliveries by itself): requests discovery of every ecosystem, which
   * fans out one sync per repository. Requests are deduplicated while one is waiting or running
   * (`SyncSchedulerService`), and an unchanged repository costs only `304`s.
   * @returns one enqueue result per ecosystem, by ecosystem id.
   */
  async requestReconciliation(): Promise<Array<EnqueueResult & { ecosystemId: number }>> {
    const results: Array<EnqueueResult & { ecosystemId: number }> = [];
    for (const ecosystemId of await this.ecosystems.listIds()) {
      results.push({ ecosystemId, ...(await this.scheduler.requestDiscovery(ecosystemId)) });
    }
    this.logger.log(`reconciliation: discovery requested for ${results.length} ecosystems`);
    return results;
  }

  /**
   * Discovers and syncs every repository of the ecosystem in this process. A repository that
   * fails is reported in `failures` and does not stop the others (its cursor keeps its place).
   * @throws EcosystemException NOT_FOUND for an unknown ecosystem.
   */
  async syncInProcess(ecosystemId: number, options: InProcessSyncOptions = {}): Promise<EcosystemSyncResult> {
    await this.ecosystems.getById(ecosystemId);
    const startedAt = new Date();
    const discovery = await this.discovery.discover(ecosystemId);
    await options.onProgress?.(await this.progress.progress(ecosystemId, startedAt));
    const queue = [...discovery.repositoryIds];
    const repositories: RepositorySyncResult[] = [];
    const failures: EcosystemSyncResult['failures'] = [];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          repositories.push(await this.repositories.syncRepository(id, { afterPage: options.afterPage, resources: options.resources, relistStars: options.relistStars }));
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.warn(`repository ${id} failed: ${message}`);
          failures.push({ repositoryId: id, error: message });
        }
        await options.onProgress?.(await this.progress.progress(ecosystemId, startedAt));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 3) }, worker));
    return { discovery, repositories, failures, progress: await this.progress.progress(ecosystemId, startedAt) };
  }
}
