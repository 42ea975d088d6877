import type { SyncResource } from '../entities/sync-state.entity.js';
import type { VolatileResourceHealth } from './sync-health-cache.js';

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
  /** The latest of the resources' last run starts (UTC instant); null when no resource has started a run. */
  lastStartedAt: Date | null;
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
    lastStartedAt: resources.reduce<Date | null>((latest, r) => later(latest, r.lastStartedAt), null),
    failingResources: resources.filter((r) => r.status === 'failed').length,
    runningResources: resources.filter((r) => r.status === 'running').length,
  };
}

/** The later of two instants (null when both are). */
function later(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}

/**
 * One resource's health from its `sync_state` row (null when none was written yet) and what
 * Redis holds for it (see `SyncHealthCache`): the status is Redis's when it has one (the latest
 * run's), instants are the later of both, counters are the sum (Redis holds those of runs that
 * wrote nothing to Postgres since the row's last write), the last error is the row's (a failure
 * is always written to Postgres). Pure.
 */
export function mergeSyncHealth(
  resource: SyncResource,
  stored: SyncStateHealthRow | null,
  volatile: VolatileResourceHealth | null | undefined,
): SyncStateHealthRow {
  return {
    resource,
    status: volatile?.status ?? stored?.status ?? 'idle',
    lastStartedAt: later(stored?.lastStartedAt ?? null, volatile?.lastStartedAt ?? null),
    lastSuccessAt: later(stored?.lastSuccessAt ?? null, volatile?.lastSuccessAt ?? null),
    requests: (stored?.requests ?? 0) + (volatile?.requests ?? 0),
    notModified: (stored?.notModified ?? 0) + (volatile?.notModified ?? 0),
    items: (stored?.items ?? 0) + (volatile?.items ?? 0),
    lastError: stored?.lastError ?? null,
  };
}

/** Merges a repository's `sync_state` rows with its Redis entries (a resource known to either appears once). */
export function mergeRepositorySyncHealth(
  stored: readonly SyncStateHealthRow[],
  volatile: ReadonlyMap<SyncResource, VolatileResourceHealth> | undefined,
): SyncStateHealthRow[] {
  const byResource = new Map(stored.map((row) => [row.resource, row] as const));
  const resources = new Set<SyncResource>([...byResource.keys(), ...(volatile?.keys() ?? [])]);
  return [...resources].map((resource) => mergeSyncHealth(resource, byResource.get(resource) ?? null, volatile?.get(resource)));
}
