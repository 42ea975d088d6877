import type { SyncResource } from '../entities/sync-state.entity.js';

/** What one resource sync of one repository did. */
export interface ResourceSyncResult {
  resource: SyncResource;
  /** HTTP requests made (304s included). */
  requests: number;
  /** True when the first page answered 304 Not Modified: nothing changed, nothing written. */
  notModified: boolean;
  /** Pages written. */
  pages: number;
  /** Items received on written pages. */
  items: number;
  /** Activities inserted (0 when everything was known). */
  activitiesInserted: number;
  /** True when this run resumed a pass a previous run left unfinished. */
  resumed: boolean;
  /** Stargazers only: true when this run re-listed every star (see `RepositorySyncService`). */
  relisted?: boolean;
  /** Stargazers only: stars marked removed (unstars) by this run's re-list. */
  removed?: number;
  /**
   * Stargazers only, after a re-list: the repository's `stargazers_count` (from discovery) minus
   * the stars listed; non-zero means the count and the list disagree (or the count is stale).
   */
  drift?: number;
}

/** What `RepositorySyncService.syncRepository` did. */
export interface RepositorySyncResult {
  repositoryId: number;
  fullName: string;
  /** Set when the run did nothing because another process holds this repository's sync. */
  skipped?: 'already-running';
  resources: ResourceSyncResult[];
}

/** Information given to {@link SyncRepositoryOptions.afterPage} once a page is durably written. */
export interface WrittenPage {
  repositoryId: number;
  resource: SyncResource;
  /** Pages written so far in this pass (1 = the first). */
  pages: number;
}

/** Options of one repository sync. */
export interface SyncRepositoryOptions {
  /**
   * Resources to sync, in the service's fixed order (default {@link DEFAULT_SYNC_RESOURCES}:
   * commits and pull requests); {@link ALL_REPOSITORY_RESOURCES} syncs everything.
   */
  resources?: readonly SyncResource[];
  /** Re-list every stargazer now (unstar detection) even if the periodic re-list is not due. */
  relistStars?: boolean;
  /**
   * Called after each page and its cursor are committed. Tests throw from it to simulate a crash
   * between pages; progress displays can count pages.
   */
  afterPage?: (page: WrittenPage) => void | Promise<void>;
}

/**
 * Every per-repository resource, in the order a sync runs them: reviews after pull requests
 * (they are fetched for the pull requests the pull request sync updated).
 */
export const ALL_REPOSITORY_RESOURCES: readonly SyncResource[] = [
  'commits',
  'pulls',
  'reviews',
  'issues',
  'issue_comments',
  'review_comments',
  'releases',
  'forks',
  'stargazers',
  'labels',
];

/** What a sync covers when the caller does not say: commits and pull requests. */
export const DEFAULT_SYNC_RESOURCES: readonly SyncResource[] = ['commits', 'pulls'];
