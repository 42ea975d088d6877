import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { SyncResource } from '../entities/sync-state.entity.js';
import { SyncHealthCache } from './sync-health-cache.js';
import { mergeRepositorySyncHealth, summarizeSyncHealth, type RepositorySyncHealth, type SyncStateHealthRow } from './sync-health.js';

interface SyncStateSqlRow {
  repository_id: string;
  resource: SyncResource;
  status: SyncStateHealthRow['status'];
  last_started_at: Date | null;
  last_success_at: Date | null;
  requests: string;
  not_modified: string;
  items: string;
  last_error: string | null;
}

/**
 * The read model of per-repository sync health, for GraphQL and displays: `sync_state` merged
 * with what Redis holds of the latest runs (see `SyncHealthCache`, `mergeSyncHealth`).
 */
@Injectable()
export class SyncHealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: SyncHealthCache,
  ) {}

  /**
   * Sync health of repositories by GitHub id, for DataLoaders: one entry per id, in order, in
   * one query and one Redis round trip. A repository known to neither gets an empty health (no
   * resources).
   * Ages are measured to `now` (default: the current instant).
   */
  async byRepositoryIds(ids: readonly number[], now: Date = new Date()): Promise<RepositorySyncHealth[]> {
    const resources = await this.resourcesByRepository(ids);
    return ids.map((id) => summarizeSyncHealth(resources.get(id) ?? [], now));
  }

  /**
   * Each repository's per-resource sync state: the `sync_state` rows merged with what Redis holds
   * of the latest runs (one query, one Redis round trip). Repositories known to neither are absent.
   */
  async resourcesByRepository(ids: readonly number[]): Promise<Map<number, SyncStateHealthRow[]>> {
    if (ids.length === 0) return new Map();
    const rows: SyncStateSqlRow[] = await this.dataSource.query(
      `SELECT repository_id::text AS repository_id, resource, status, last_started_at, last_success_at,
              requests::text AS requests, not_modified::text AS not_modified, items::text AS items, last_error
         FROM sync_state WHERE repository_id = ANY($1::bigint[])`,
      [ids],
    );
    const volatile = await this.cache.forRepositories(ids);
    const stored = new Map<number, SyncStateHealthRow[]>();
    for (const row of rows) {
      const id = Number(row.repository_id);
      let list = stored.get(id);
      if (!list) stored.set(id, (list = []));
      list.push({
        resource: row.resource,
        status: row.status,
        lastStartedAt: row.last_started_at,
        lastSuccessAt: row.last_success_at,
        requests: Number(row.requests),
        notModified: Number(row.not_modified),
        items: Number(row.items),
        lastError: row.last_error,
      });
    }
    const merged = new Map<number, SyncStateHealthRow[]>();
    for (const id of ids) {
      const resources = mergeRepositorySyncHealth(stored.get(id) ?? [], volatile.get(id));
      if (resources.length > 0) merged.set(id, resources);
    }
    return merged;
  }
}
