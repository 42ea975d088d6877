import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { RepositoryEntity } from '../entities/repository.entity.js';
import { ListingPlans } from './listing-plans.js';
import { ListingSync, type ListingPlan } from './listing-sync.service.js';
import { ReviewSync } from './review-sync.service.js';
import { StargazerSync } from './stargazer-sync.service.js';
import { SyncException, SyncExceptionCode } from './sync.exception.js';
import { recordSyncGap } from './sync-gap.js';
import { DEFAULT_SYNC_RESOURCES, type RepositorySyncResult, type ResourceSyncResult, type SyncRepositoryOptions } from './sync.types.js';

export { STAR_RELIST_INTERVAL_MS } from './stargazer-sync.service.js';

/**
 * Syncs one repository's resources from GitHub's REST API — commits (default branch), pull
 * requests (with the details of merged ones), reviews, issues, issue comments, review comments,
 * releases, forks, stargazers and labels (`SyncRepositoryOptions.resources`) — into their rows
 * and activities, with the shared activity source keys, per resource from its own sync state:
 * newest-first listings through `ListingSync` (conditional first page, resumable passes; plans in
 * `ListingPlans`), reviews through `ReviewSync`, stargazers through `StargazerSync`. Every write
 * is idempotent: a second run over unchanged data adds no rows, and — its answers all 304 —
 * writes none (`SyncStateStore`).
 * One process syncs a repository at a time (a Postgres advisory lock); a concurrent call
 * returns at once with `skipped: 'already-running'`.
 */
@Injectable()
export class RepositorySyncService {
  private readonly logger = new Logger(RepositorySyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly listings: ListingSync,
    private readonly plans: ListingPlans,
    private readonly reviews: ReviewSync,
    private readonly stargazers: StargazerSync,
  ) {}

  /**
   * Syncs the requested resources (default: commits then pull requests) of the repository with
   * GitHub id `repositoryId`, in the order of `ALL_REPOSITORY_RESOURCES`.
   * @throws SyncException REPOSITORY_NOT_FOUND when discovery has not stored it; GitHub
   *   request errors (after the client's retries) with the resource's state marked failed.
   */
  async syncRepository(repositoryId: number, options: SyncRepositoryOptions = {}): Promise<RepositorySyncResult> {
    const repository = await this.dataSource.getRepository(RepositoryEntity).findOneBy({ id: repositoryId });
    if (!repository) {
      throw new SyncException(`repository ${repositoryId} is not stored; run discovery first`, SyncExceptionCode.REPOSITORY_NOT_FOUND);
    }
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked, startedAt }]: Array<{ locked: boolean; startedAt: Date }> = await lock.query(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked, now() AS "startedAt"`,
        [`sync-repository:${repositoryId}`],
      );
      if (!locked) {
        this.logger.log(`sync of ${repository.fullName} is running elsewhere: skipped`);
        return { repositoryId, fullName: repository.fullName, skipped: 'already-running', resources: [] };
      }
      try {
        const wanted = new Set(options.resources ?? DEFAULT_SYNC_RESOURCES);
        const resources: ResourceSyncResult[] = [];
        try {
          const list = <T>(plan: ListingPlan<T>) => this.listings.run(repository, plan, options);
          if (wanted.has('commits') && repository.defaultBranch) resources.push(await list(this.plans.commits(repository)));
          if (wanted.has('pulls')) resources.push(await list(this.plans.pulls(repository)));
          if (wanted.has('reviews')) resources.push(await this.reviews.sync(repository, options));
          if (wanted.has('issues')) resources.push(await list(this.plans.issues(repository)));
          if (wanted.has('issue_comments')) resources.push(await list(this.plans.issueComments(repository)));
          if (wanted.has('review_comments')) resources.push(await list(this.plans.reviewComments(repository)));
          if (wanted.has('releases')) resources.push(await list(this.plans.releases(repository)));
          if (wanted.has('forks')) resources.push(await list(this.plans.forks(repository)));
          if (wanted.has('stargazers')) resources.push(await this.stargazers.sync(repository, options));
          if (wanted.has('labels')) resources.push(await list(this.plans.labels(repository)));
        } finally {
          // passes that finished (even if a later one threw) record what webhooks missed
          await this.recordGaps(repository, startedAt, resources);
        }
        return { repositoryId, fullName: repository.fullName, resources };
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`sync-repository:${repositoryId}`]);
      }
    } finally {
      await lock.release();
    }
  }

  /**
   * Records a `sync_gap` per resource pass that inserted activities webhooks should have
   * delivered (see {@link recordSyncGap}) and logs a warning with the count. Never fails the sync.
   * @param startedAt database instant the run started at.
   */
  private async recordGaps(repository: RepositoryEntity, startedAt: Date, resources: ResourceSyncResult[]): Promise<void> {
    for (const pass of resources) {
      if (pass.activitiesInserted === 0) continue;
      try {
        const gap = await recordSyncGap((sql, params) => this.dataSource.query(sql, params), {
          repositoryId: repository.id,
          resource: pass.resource,
          since: startedAt,
        });
        if (gap) {
          this.logger.warn(
            `${pass.resource} of ${repository.fullName}: ${gap.activities} activities webhooks missed ` +
              `(${gap.oldestOccurredAt.toISOString()} to ${gap.newestOccurredAt.toISOString()}); recorded as sync gap ${gap.id}`,
          );
        }
      } catch (error) {
        this.logger.warn(`${pass.resource} of ${repository.fullName}: gap not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
