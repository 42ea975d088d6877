import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SyncResource } from '../entities/sync-state.entity.js';
import { SyncHealthCache, type SyncCounters, type SyncRunStatus } from './sync-health-cache.js';

export type { SyncCounters } from './sync-health-cache.js';

/** A resource's `sync_state` row as a run starts (what it resumes from, and what a write would change). */
export interface StoredSyncState {
  repositoryId: number;
  resource: SyncResource;
  cursor: Record<string, unknown>;
  etag: string | null;
  /** False before the resource's first write: no row yet. */
  exists: boolean;
  /** The row's status as last written (a run that wrote nothing leaves it). */
  status: SyncRunStatus;
  lastError: string | null;
}

/**
 * Reads and writes a resource's sync state: the durable part in `sync_state` (cursor, ETag,
 * status and error as last written, counters up to then), the volatile part in Redis
 * ({@link SyncHealthCache}: status and instants of the latest run, counters of runs since).
 *
 * Postgres is written only when something durable changes — a page's cursor, a new cursor or
 * ETag, an error, or a row whose stored status is not `idle` — so a re-sync that meets only
 * `304 Not Modified` writes no row (issue 3). Each Postgres write folds in the counters Redis
 * held, so `sync_state` totals lag by at most the runs since its last write. When Redis refuses
 * a volatile write, the store falls back to writing Postgres as it would have without Redis.
 */
@Injectable()
export class SyncStateStore {
  private readonly logger = new Logger(SyncStateStore.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: SyncHealthCache,
  ) {}

  /** Reads the resource's row (none yet: empty cursor) and marks the run started in Redis. */
  async start(repositoryId: number, resource: SyncResource): Promise<StoredSyncState> {
    const [row]: Array<{ cursor: Record<string, unknown> | null; etag: string | null; status: SyncRunStatus; last_error: string | null }> =
      await this.dataSource.query(`SELECT cursor, etag, status, last_error FROM sync_state WHERE repository_id = $1 AND resource = $2`, [
        repositoryId,
        resource,
      ]);
    const stored: StoredSyncState = {
      repositoryId,
      resource,
      cursor: row?.cursor ?? {},
      etag: row?.etag ?? null,
      exists: !!row,
      status: row?.status ?? 'idle',
      lastError: row?.last_error ?? null,
    };
    try {
      await this.cache.started(repositoryId, resource);
    } catch (error) {
      this.logger.warn(`sync health of ${resource} of repository ${repositoryId} not recorded in Redis: ${messageOf(error)}`);
      await this.upsert(stored, { status: 'running', startedAt: true }, { requests: 0 });
    }
    return stored;
  }

  /** Saves the cursor after a page is written (the resume point) and adds the counters. */
  async savePage(stored: StoredSyncState, cursor: object, counters: SyncCounters): Promise<void> {
    await this.upsert(stored, { status: 'running', cursor }, counters);
  }

  /**
   * Ends a run successfully with `cursor` and the ETag to send next time (null: none). When
   * neither differs from the stored row and that row is `idle` without an error, only Redis is
   * written (status, success instant, counters).
   */
  async complete(stored: StoredSyncState, cursor: object, etag: string | null, counters: SyncCounters): Promise<void> {
    const unchanged =
      stored.exists && stored.status === 'idle' && stored.lastError === null && stored.etag === etag && sameJson(stored.cursor, cursor);
    if (unchanged) {
      try {
        await this.cache.finished(stored.repositoryId, stored.resource, 'idle', counters);
        return;
      } catch (error) {
        this.logger.warn(`sync health of ${stored.resource} of repository ${stored.repositoryId} not recorded in Redis: ${messageOf(error)}`);
      }
    }
    await this.upsert(stored, { status: 'idle', cursor, etag, success: true }, counters);
    await this.markInRedis(stored, 'idle');
  }

  /**
   * Adds counters of requests made after the run was recorded complete (pull request details) to
   * Redis; to Postgres when Redis refuses them.
   */
  async count(stored: StoredSyncState, counters: SyncCounters): Promise<void> {
    try {
      await this.cache.addCounters(stored.repositoryId, stored.resource, counters);
    } catch (error) {
      this.logger.warn(`sync health of ${stored.resource} of repository ${stored.repositoryId} not recorded in Redis: ${messageOf(error)}`);
      await this.upsert(stored, { status: stored.status }, counters);
    }
  }

  /** Ends a run with an error (always written to Postgres); the cursor stays where the last written page left it. */
  async fail(stored: StoredSyncState, error: unknown, counters: SyncCounters): Promise<void> {
    await this.upsert(stored, { status: 'failed', error: messageOf(error).slice(0, 2000) }, counters);
    await this.markInRedis(stored, 'failed');
  }

  private async markInRedis(stored: StoredSyncState, status: 'idle' | 'failed'): Promise<void> {
    await this.cache.finished(stored.repositoryId, stored.resource, status, null).catch((error: unknown) => {
      this.logger.warn(`sync health of ${stored.resource} of repository ${stored.repositoryId} not recorded in Redis: ${messageOf(error)}`);
    });
  }

  /**
   * Inserts or updates the row with the given changes plus `counters` and the counters Redis
   * held (taken from Redis first, given back if the write fails).
   */
  private async upsert(
    stored: StoredSyncState,
    change: { status: SyncRunStatus; cursor?: object; etag?: string | null; success?: boolean; startedAt?: boolean; error?: string },
    counters: SyncCounters,
  ): Promise<void> {
    const held = await this.cache.takeCounters(stored.repositoryId, stored.resource).catch(() => ({ requests: 0, notModified: 0, items: 0 }));
    const total = {
      requests: counters.requests + held.requests,
      notModified: (counters.notModified ?? 0) + held.notModified,
      items: (counters.items ?? 0) + held.items,
    };
    try {
      await this.dataSource.query(
        `INSERT INTO sync_state AS s (repository_id, resource, cursor, etag, status, last_started_at, last_success_at, last_error,
           requests, not_modified, items)
         VALUES ($1, $2, COALESCE($3::jsonb, '{}'::jsonb), CASE WHEN $4::boolean THEN $5::text END, $6::text,
           CASE WHEN $7::boolean OR $6::text = 'running' THEN now() END, CASE WHEN $8::boolean THEN now() END, $9::text,
           $10::bigint, $11::bigint, $12::bigint)
         ON CONFLICT (repository_id, resource) DO UPDATE SET
           cursor = COALESCE($3::jsonb, s.cursor),
           etag = CASE WHEN $4 THEN $5 ELSE s.etag END,
           status = $6,
           last_started_at = CASE WHEN $7 THEN now() ELSE s.last_started_at END,
           last_success_at = CASE WHEN $8 THEN now() ELSE s.last_success_at END,
           last_error = CASE WHEN $6 = 'failed' THEN $9 WHEN $8 THEN NULL ELSE s.last_error END,
           requests = s.requests + $10, not_modified = s.not_modified + $11, items = s.items + $12`,
        [
          stored.repositoryId,
          stored.resource,
          change.cursor === undefined ? null : JSON.stringify(change.cursor),
          change.etag !== undefined,
          change.etag ?? null,
          change.status,
          change.startedAt === true,
          change.success === true,
          change.error ?? null,
          total.requests,
          total.notModified,
          total.items,
        ],
      );
    } catch (error) {
      if (held.requests || held.notModified || held.items) {
        await this.cache.addCounters(stored.repositoryId, stored.resource, held).catch(() => undefined);
      }
      throw error;
    }
    stored.exists = true;
    stored.status = change.status;
    if (change.cursor !== undefined) stored.cursor = JSON.parse(JSON.stringify(change.cursor)) as Record<string, unknown>;
    if (change.etag !== undefined) stored.etag = change.etag;
    if (change.status === 'failed') stored.lastError = change.error ?? null;
    else if (change.success) stored.lastError = null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** JSON text with object keys sorted, so two equal values compare equal whatever their key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/** True when two JSON values are equal (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
