import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { SYNCED_REPOSITORY_IDS_SQL } from './synced-repositories.js';

/** Progress of an ecosystem's sync, read from the database (any process can show it). */
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

/** The read model behind sync progress displays (CLI, GraphQL sync health). */
@Injectable()
export class SyncProgressService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Progress of ecosystem `ecosystemId`. With `since` (a UTC instant, typically when the run
   * started), a repository is done when each resource has succeeded since then.
   */
  async progress(ecosystemId: number, since?: Date): Promise<SyncProgress> {
    const [row]: Array<Record<string, string>> = await this.dataSource.query(
      `WITH repos AS (${SYNCED_REPOSITORY_IDS_SQL}),
       per_repo AS (
         SELECT r.repository_id,
           count(s.resource) FILTER (WHERE s.status = 'running') AS running,
           count(s.resource) FILTER (WHERE s.status = 'failed') AS failed,
           count(s.resource) FILTER (WHERE s.status = 'idle' AND s.last_success_at IS NOT NULL
             AND ($2::timestamptz IS NULL OR s.last_success_at >= $2::timestamptz)) AS succeeded,
           count(s.resource) AS resources
         FROM repos r LEFT JOIN sync_state s ON s.repository_id = r.repository_id
         GROUP BY r.repository_id)
       SELECT
         (SELECT count(*) FROM per_repo) AS total,
         (SELECT count(*) FROM per_repo WHERE resources > 0 AND succeeded = resources AND running = 0) AS done,
         (SELECT count(*) FROM per_repo WHERE running > 0) AS running,
         (SELECT count(*) FROM per_repo WHERE failed > 0 AND running = 0) AS failed,
         (SELECT count(DISTINCT sha) FROM git_commit_repository WHERE repository_id IN (SELECT repository_id FROM repos)) AS commits,
         (SELECT count(*) FROM pull_request WHERE repository_id IN (SELECT repository_id FROM repos)) AS pull_requests,
         (SELECT count(*) FROM activity WHERE repository_id IN (SELECT repository_id FROM repos)) AS activities,
         (SELECT coalesce(sum(requests), 0) FROM sync_state WHERE repository_id IN (SELECT repository_id FROM repos))
           + (SELECT coalesce(sum((discovery->>'requests')::bigint), 0) FROM tracked_source WHERE ecosystem_id = $1) AS requests,
         (SELECT coalesce(sum(not_modified), 0) FROM sync_state WHERE repository_id IN (SELECT repository_id FROM repos))
           + (SELECT coalesce(sum((discovery->>'notModified')::bigint), 0) FROM tracked_source WHERE ecosystem_id = $1) AS not_modified`,
      [ecosystemId, since?.toISOString() ?? null],
    );
    return {
      repositories: {
        total: Number(row.total),
        done: Number(row.done),
        running: Number(row.running),
        failed: Number(row.failed),
      },
      commits: Number(row.commits),
      pullRequests: Number(row.pull_requests),
      activities: Number(row.activities),
      requests: Number(row.requests),
      notModified: Number(row.not_modified),
    };
  }
}
