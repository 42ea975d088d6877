import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SyncHealthCache } from './sync-health-cache.js';
import type { SyncStateHealthRow } from './sync-health.js';
import { SyncHealthService } from './sync-health.service.js';
import { SYNCED_REPOSITORY_IDS_SQL } from './synced-repositories.js';

/** Progress of an ecosystem's sync, read from the database and Redis (any process can show it). */
export interface SyncProgress {
  repositories: {
    /** Repositories the ecosystem syncs. */
    total: number;
    /** Whose every resource finished a run (since the given instant, when one was given). */
    done: number;
    running: number;
    failed: number;
  };
  /** Distinct commits stored for these repositories (a commit in two repositories counts once). */
  commits: number;
  pullRequests: number;
  activities: number;
  /** API requests spent on these repositories' resources and the ecosystem's discovery. */
  requests: number;
  /** Of which answered 304 Not Modified. */
  notModified: number;
}

/** Where one repository's resources stand. */
export interface RepositoryProgressState {
  /** Every resource succeeded (since `since`) and none is running. */
  done: boolean;
  running: boolean;
  /** A resource failed and none is running. */
  failed: boolean;
}

/**
 * Where a repository stands from its merged resource health (pure): done when it has resources,
 * each one's last success is at or after `since` (when given) and none is running or failed.
 */
export function repositoryProgress(resources: readonly SyncStateHealthRow[], since: Date | null): RepositoryProgressState {
  const running = resources.some((r) => r.status === 'running');
  const failed = !running && resources.some((r) => r.status === 'failed');
  const succeeded = resources.filter((r) => r.status === 'idle' && r.lastSuccessAt && (!since || r.lastSuccessAt >= since)).length;
  return { done: resources.length > 0 && succeeded === resources.length && !running, running, failed };
}

/** The read model behind sync progress displays (CLI, demo): Postgres counts, sync state merged with Redis. */
@Injectable()
export class SyncProgressService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: SyncHealthService,
    private readonly cache: SyncHealthCache,
  ) {}

  /**
   * Progress of ecosystem `ecosystemId`. With `since` (a UTC instant, typically when the run
   * started), a repository is done when each resource has succeeded since then.
   */
  async progress(ecosystemId: number, since?: Date): Promise<SyncProgress> {
    const [counts]: Array<Record<string, string>> = await this.dataSource.query(
      `WITH repos AS (${SYNCED_REPOSITORY_IDS_SQL})
       SELECT
         (SELECT array_agg(repository_id::text) FROM repos) AS ids,
         (SELECT count(DISTINCT sha) FROM git_commit_repository WHERE repository_id IN (SELECT repository_id FROM repos)) AS commits,
         (SELECT count(*) FROM pull_request WHERE repository_id IN (SELECT repository_id FROM repos)) AS pull_requests,
         (SELECT count(*) FROM activity WHERE repository_id IN (SELECT repository_id FROM repos)) AS activities,
         (SELECT array_agg(id::text) FROM tracked_source WHERE ecosystem_id = $1) AS sources,
         (SELECT coalesce(sum((discovery->>'requests')::bigint), 0) FROM tracked_source WHERE ecosystem_id = $1) AS discovery_requests,
         (SELECT coalesce(sum((discovery->>'notModified')::bigint), 0) FROM tracked_source WHERE ecosystem_id = $1) AS discovery_not_modified`,
      [ecosystemId],
    );
    const ids = ((counts.ids ?? []) as unknown as string[]).map(Number);
    const sources = ((counts.sources ?? []) as unknown as string[]).map(Number);
    const [resourcesByRepository, volatileSources] = await Promise.all([
      this.health.resourcesByRepository(ids),
      this.cache.forSources(sources),
    ]);
    const progress: SyncProgress = {
      repositories: { total: ids.length, done: 0, running: 0, failed: 0 },
      commits: Number(counts.commits),
      pullRequests: Number(counts.pull_requests),
      activities: Number(counts.activities),
      requests: Number(counts.discovery_requests),
      notModified: Number(counts.discovery_not_modified),
    };
    for (const source of volatileSources.values()) {
      progress.requests += source.requests;
      progress.notModified += source.notModified;
    }
    for (const id of ids) {
      const resources = resourcesByRepository.get(id) ?? [];
      const state = repositoryProgress(resources, since ?? null);
      if (state.done) progress.repositories.done += 1;
      if (state.running) progress.repositories.running += 1;
      if (state.failed) progress.repositories.failed += 1;
      for (const resource of resources) {
        progress.requests += resource.requests;
        progress.notModified += resource.notModified;
      }
    }
    return progress;
  }
}
