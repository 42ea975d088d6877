import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import {
  ALL_REPOSITORY_RESOURCES,
  EcosystemSyncService,
  GithubAppAuthError,
  GithubClients,
  ProfileSyncService,
  RepositorySyncService,
  requestStatus,
  type SyncScope,
} from '#libs/github';
import { JobName, QueueName, type DiscoverRepositoriesJobData, type SyncRepositoryJobData } from '#libs/queue';

/** A job name this queue has no handler for (a producer bug, or a newer producer than this worker). */
export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`unknown job "${name}" on queue ${QueueName.GithubSync}`);
    this.name = 'UnknownJobError';
  }
}

/**
 * Runs `github-sync` jobs: discovery (which fans out one job per repository), repository syncs,
 * the scheduled reconciliation (discovery of every ecosystem; see `GithubSyncSchedules`) and the
 * scheduled profile sync (members' GitHub profiles, for `profile` affiliations).
 * A job stopped by a GitHub rate limit whose pause is longer than the client waits in-process is
 * not failed: it is moved back to the queue, delayed until the token's pause ends (cases S1, S2),
 * and resumes from its stored cursors. Such a delay does not use up one of the job's attempts.
 * A job whose GitHub App credentials GitHub refuses fails at once, without retries (BullMQ
 * `UnrecoverableError`): the key or installation id must be fixed and the worker restarted.
 * So does a job GitHub answers `401 Bad credentials` (a revoked or expired token: retrying it
 * only spends attempts), a repository sync GitHub answers 404 (the repository was deleted or
 * the token lost access to it; the next reconciliation's discovery asks again), and a job whose
 * ecosystem's stored credentials cannot be decrypted (a key is missing, or the row was altered).
 * Delays and 401 messages follow the identity the job used: its ecosystem's stored token or App
 * (`GithubClients`), else the environment's.
 */
@Processor(QueueName.GithubSync)
export class GithubSyncProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(GithubSyncProcessor.name);

  constructor(
    private readonly ecosystemSync: EcosystemSyncService,
    private readonly repositorySync: RepositorySyncService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
    private readonly clients: GithubClients,
    private readonly profileSync: ProfileSyncService,
  ) {
    super();
  }

  /** Applies `WORKER_CONCURRENCY` (jobs at once in this process; requests are limited per token by the client). */
  onApplicationBootstrap(): void {
    if (this.worker) this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  async process(job: Job, token?: string): Promise<unknown> {
    try {
      return await this.run(job);
    } catch (error) {
      if (appAuthErrorIn(error)) {
        this.logger.error(`${job.name} job ${job.id}: ${appAuthErrorIn(error)!.message}`);
        throw new UnrecoverableError(appAuthErrorIn(error)!.message);
      }
      const refused = await this.refusal(job, error);
      if (refused) {
        this.logger.error(`${job.name} job ${job.id}: ${refused}`);
        throw new UnrecoverableError(refused);
      }
      const budget = await this.clients.budgetFor(syncScope(job)).catch(() => null);
      const delayMs = budget ? await budget.delayForError(error) : null;
      if (delayMs === null || !token) throw error;
      this.logger.warn(`${job.name} job ${job.id}: GitHub rate limit; delayed ${Math.ceil(delayMs)} ms until the token's pause ends`);
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    }
  }

  /** Why retrying `job` after `error` cannot succeed (401, a repository's 404, stored credentials that do not decrypt), or null. */
  private async refusal(job: Job, error: unknown): Promise<string | null> {
    const status = requestStatus(error);
    const detail = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.name === 'SecretsException') return detail;
    if (status === 401) {
      const stored = await this.clients.describeIdentity(syncScope(job)).catch(() => null);
      if (stored) return `GitHub refused ${stored} with 401 (${detail}): the token is revoked, expired or wrong; set it again`;
      const identity = this.config.GITHUB_APP_ID !== undefined ? `GitHub App ${this.config.GITHUB_APP_ID} (GITHUB_APP_*)` : 'GITHUB_TOKEN';
      return `GitHub refused ${identity} with 401 (${detail}): the token is revoked, expired or wrong; fix it and restart the worker`;
    }
    if (status === 404 && job.name === JobName.SyncRepository) {
      return `GitHub answered 404 for repository ${(job.data as SyncRepositoryJobData).repositoryId} (${detail}): deleted, or no longer visible to the token`;
    }
    return null;
  }

  private run(job: Job): Promise<unknown> {
    switch (job.name) {
      case JobName.DiscoverRepositories:
        return this.ecosystemSync.discoverAndSchedule((job.data as DiscoverRepositoriesJobData).ecosystemId);
      case JobName.SyncRepository:
        // a scheduled sync covers every resource: commits, pull requests, reviews, issues,
        // comments, releases, forks, stargazers and labels
        return this.repositorySync.syncRepository((job.data as SyncRepositoryJobData).repositoryId, {
          resources: ALL_REPOSITORY_RESOURCES,
        });
      case JobName.ReconcileEcosystems:
        return this.ecosystemSync.requestReconciliation();
      case JobName.SyncProfiles:
        return this.profileSync.syncProfiles();
      default:
        throw new UnknownJobError(job.name);
    }
  }
}

/** What a `github-sync` job works on, for choosing the identity's budget and naming it. */
export function syncScope(job: Job): SyncScope {
  switch (job.name) {
    case JobName.DiscoverRepositories:
      return { ecosystemId: (job.data as DiscoverRepositoriesJobData).ecosystemId };
    case JobName.SyncRepository:
      return { repositoryId: (job.data as SyncRepositoryJobData).repositoryId };
    default:
      return null;
  }
}

/** The {@link GithubAppAuthError} behind an error (Octokit may wrap it as `cause`), if any. */
export function appAuthErrorIn(error: unknown): GithubAppAuthError | null {
  for (let current = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof GithubAppAuthError) return current;
  }
  return null;
}
