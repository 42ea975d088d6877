import type { SyncResource } from '../entities/sync-state.entity.js';

/** One `sync_state` row as the health read model loads it. */
export interface SyncStateHealthRow {
  resource: SyncResource;
  status: 'idle' | 'running' | 'failed';
  /** When the last run started (UTC instant); null before the first run. */
  lastStartedAt: Date | null;
  /** When the last successful run ended (UTC instant); null if none ever succeeded. */
  lastSuccessAt: Date | null;
  /** API requests spent on this resource, over every run. */
  requests: number;
  /** Of which answered `304 Not Modified`. */
  notModified: number;
  /** Items written, over every run. */
  items: number;
  /** Message of the last failure; cleared by the next success. */
  lastError: string | null;
}

/** Health of one resource's sync, with the derived figures. */
export interface ResourceSyncHealth extends SyncStateHealthRow {
  /** Whole seconds from the last success to `now` (never negative); null if none ever succeeded. */
  cursorAgeSeconds: number | null;
  /** `notModified / requests` (0–1); null when no request was made. */
  share304: number | null;
}

/** Sync health of one repository: its resources (by resource name) and totals over them. */
export interface RepositorySyncHealth {
  resources: ResourceSyncHealth[];
  /** API requests spent on every resource. */
  requests: number;
  /** Of which answered `304 Not Modified`. */
  notModified: number;
  /** `notModified / requests` (0–1); null when no request was made. */
  share304: number | null;
  /**
   * The oldest of the resources' last successes (UTC instant): every resource has succeeded
   * since then. Null when no resource is known or one has never succeeded.
   */
  lastSuccessAt: Date | null;
  /** Seconds from {@link lastSuccessAt} to `now`; null when it is null. */
  cursorAgeSeconds: number | null;
  /** Resources whose last run failed. */
  failingResources: number;
  /** Resources running now. */
  runningResources: number;
}

/** `notModified / requests`, or null when `requests` is 0. */
export function share304(notModified: number, requests: number): number | null {
  return requests > 0 ? notModified / requests : null;
}

/** Whole seconds from `since` to `now` (0 when `since` is later); null when `since` is null. */
export function ageSeconds(since: Date | null, now: Date): number | null {
  if (!since) return null;
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 1000));
}

/** Derives a repository's sync health from its `sync_state` rows, as of `now`. Pure. */
export function summarizeSyncHealth(rows: readonly SyncStateHealthRow[], now: Date): RepositorySyncHealth {
  const resources = [...rows]
    .sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0))
    .map((row) => ({
      ...row,
      cursorAgeSeconds: ageSeconds(row.lastSuccessAt, now),
      share304: share304(row.notModified, row.requests),
    }));
  const requests = resources.reduce((sum, r) => sum + r.requests, 0);
  const notModified = resources.reduce((sum, r) => sum + r.notModified, 0);
  let lastSuccessAt: Date | null = null;
  if (resources.length && resources.every((r) => r.lastSuccessAt)) {
    lastSuccessAt = resources.reduce<Date>(
      (oldest, r) => (r.lastSuccessAt! < oldest ? r.lastSuccessAt! : oldest),
      resources[0].lastSuccessAt!,
    );
  }
  return {
    resources,
    requests,
    notModified,
    share304: share304(notModified, requests),
    lastSuccessAt,
    cursorAgeSeconds: ageSeconds(lastSuccessAt, now),
    failingResources: resources.filter((r) => r.status === 'failed').length,
    runningResources: resources.filter((r) => r.status === 'running').length,
  };
}
