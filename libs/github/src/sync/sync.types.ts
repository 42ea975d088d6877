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
   * Called after each page and its cursor are committed. Tests throw from it to simulate a crash
   * between pages; progress displays can count pages.
   */
  afterPage?: (page: WrittenPage) => void | Promise<void>;
}
