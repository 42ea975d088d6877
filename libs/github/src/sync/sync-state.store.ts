import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SyncResource } from '../entities/sync-state.entity.js';

/** A stored `sync_state` row, as a resource sync reads it. */
export interface StoredSyncState {
  cursor: Record<string, unknown>;
  etag: string | null;
}

/** Counters added to a `sync_state` row by one step. */
export interface SyncCounters {
  requests: number;
  notModified?: number;
  items?: number;
}

/**
 * Reads and writes `sync_state` (one row per repository and resource). Each write adds its
 * counters, so `requests`, `not_modified` and `items` are totals over every run.
 */
@Injectable()
export class SyncStateStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the row if missing, marks it running, and returns its cursor and ETag. */
  async start(repositoryId: number, resource: SyncResource): Promise<StoredSyncState> {
    const [row]: Array<{ cursor: Record<string, unknown>; etag: string | null }> = await this.dataSource.query(
      `INSERT INTO sync_state (repository_id, resource, status, last_started_at) VALUES ($1, $2, 'running', now())
       ON CONFLICT (repository_id, resource) DO UPDATE SET status = 'running', last_started_at = now()
       RETURNING cursor, etag`,
      [repositoryId, resource],
    );
    return { cursor: row.cursor ?? {}, etag: row.etag };
  }

  /** Saves the cursor after a page is written (the resume point) and adds the counters. */
  async savePage(repositoryId: number, resource: SyncResource, cursor: object, counters: SyncCounters): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_state SET cursor = $3, requests = requests + $4, not_modified = not_modified + $5, items = items + $6
       WHERE repository_id = $1 AND resource = $2`,
      [repositoryId, resource, JSON.stringify(cursor), counters.requests, counters.notModified ?? 0, counters.items ?? 0],
    );
  }

  /** Ends a run successfully: stores the cursor and the ETag to send next time (null: none). */
  async complete(
    repositoryId: number,
    resource: SyncResource,
    cursor: object,
    etag: string | null,
    counters: SyncCounters,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE sync_state SET cursor = $3, etag = $4, status = 'idle', last_success_at = now(), last_error = NULL,
         requests = requests + $5, not_modified = not_modified + $6, items = items + $7
       WHERE repository_id = $1 AND resource = $2`,
      [repositoryId, resource, JSON.stringify(cursor), etag, counters.requests, counters.notModified ?? 0, counters.items ?? 0],
    );
  }

  /** Ends a run with an error; the cursor stays where the last written page left it. */
  async fail(repositoryId: number, resource: SyncResource, error: unknown, counters: SyncCounters): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.dataSource.query(
      `UPDATE sync_state SET status = 'failed', last_error = $3, requests = requests + $4,
         not_modified = not_modified + $5, items = items + $6
       WHERE repository_id = $1 AND resource = $2`,
      [repositoryId, resource, message.slice(0, 2000), counters.requests, counters.notModified ?? 0, counters.items ?? 0],
    );
  }
}
