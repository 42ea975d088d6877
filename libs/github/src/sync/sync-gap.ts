import type { SyncResource } from '../entities/sync-state.entity.js';

/**
 * Activity types each synced resource writes, all of which webhooks also carry (`push`,
 * `pull_request`, `pull_request_review`, `pull_request_review_comment`, `issues`,
 * `issue_comment`, `release`, `fork`, `star`; see `webhooks/normalize/normalize-delivery.ts`).
 * Resources without activities (labels, the repository row) are absent: they cannot have gaps.
 */
export const WEBHOOK_ACTIVITY_TYPES_BY_RESOURCE: Partial<Record<SyncResource, readonly string[]>> = {
  commits: ['commit'],
  pulls: ['pull_request_opened', 'pull_request_merged', 'pull_request_closed', 'pull_request_reopened'],
  reviews: ['review'],
  issues: ['issue_opened', 'issue_closed', 'issue_reopened'],
  issue_comments: ['issue_comment'],
  review_comments: ['review_comment'],
  releases: ['release'],
  forks: ['fork'],
  stargazers: ['star'],
};

/** A recorded `sync_gap` row: activities a sync found that webhooks should have delivered. */
export interface SyncGap {
  id: string;
  repositoryId: number;
  resource: SyncResource;
  /** Activities in the gap. */
  activities: number;
  /** UTC instants of the oldest and newest missed activity. */
  oldestOccurredAt: Date;
  newestOccurredAt: Date;
}

/** Runs one parameterised statement and returns its rows (TypeORM `DataSource.query`, or pg adapted). */
export type RunQuery = (sql: string, params: unknown[]) => Promise<unknown[]>;

/**
 * Records the webhook gap a resource pass of a repository sync found, if any (issue 3: the
 * scheduled reconciliation "records gaps it found"; GitHub does not redeliver failed webhook
 * deliveries by itself). A gap is the activities that
 * - this sync inserted: `source = 'api'` and `created_at >= since` (database time at sync start),
 * - of a type webhooks carry for `resource` ({@link WEBHOOK_ACTIVITY_TYPES_BY_RESOURCE}),
 * - that occurred after the repository's first webhook delivery (before it, the repository did
 *   not receive webhooks, so the sync is the only source and nothing was missed).
 * A repository with no delivery at all records nothing. One statement; inserts at most one row.
 * @param since database instant the sync started at (`now()` read at the start of the run).
 * @returns the row written, or null when there was no gap.
 */
export async function recordSyncGap(
  query: RunQuery,
  gap: { repositoryId: number; resource: SyncResource; since: Date },
): Promise<SyncGap | null> {
  const types = WEBHOOK_ACTIVITY_TYPES_BY_RESOURCE[gap.resource];
  if (!types) return null;
  const rows = await query(
    `WITH first_delivery AS (
       SELECT min(received_at) AS at FROM webhook_delivery WHERE repository_id = $1
     ), missed AS (
       SELECT count(*)::int AS n, min(a.occurred_at) AS oldest, max(a.occurred_at) AS newest
         FROM activity a, first_delivery f
        WHERE a.repository_id = $1 AND a.source = 'api' AND a.created_at >= $3
          AND a.type = ANY($4::text[]) AND f.at IS NOT NULL AND a.occurred_at > f.at
     )
     INSERT INTO sync_gap (repository_id, resource, activities, oldest_occurred_at, newest_occurred_at)
     SELECT $1, $2, n, oldest, newest FROM missed WHERE n > 0
     RETURNING id::text AS id, activities, oldest_occurred_at AS "oldestOccurredAt", newest_occurred_at AS "newestOccurredAt"`,
    [gap.repositoryId, gap.resource, gap.since, [...types]],
  );
  const row = rows[0] as { id: string; activities: number; oldestOccurredAt: Date; newestOccurredAt: Date } | undefined;
  return row ? { ...row, repositoryId: gap.repositoryId, resource: gap.resource } : null;
}
