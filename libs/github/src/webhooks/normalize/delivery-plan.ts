import type { ActivityInput, ActivityType, ActorRef, GithubActor } from '#libs/members';
import type { CoAuthor } from '../../entities/git-commit.entity.js';
import type { RepositoryRow } from '../../sync/map-repository.js';

/** A `repository` row from a payload's `repository` object (keyed by GitHub's numeric id). */
export interface RepositoryUpsert extends RepositoryRow {
  /**
   * Whether owner/name/full_name replace the stored ones: true for `repository` events (renamed,
   * transferred...), false elsewhere, so an old delivery processed late never undoes a rename.
   */
  updateName: boolean;
}

/** A `pull_request` row (keyed by GitHub's id); stale deliveries never overwrite newer state. */
export interface PullRequestUpsert {
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  state: 'open' | 'closed';
  /** null for a deleted account. */
  author: GithubActor | null;
  merged: boolean;
  mergedAt: Date | null;
  mergedBy: GithubActor | null;
  headSha: string | null;
  headRef: string | null;
  baseRef: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Label names; null when the payload has no `labels` (the stored ones stay). */
  labels: string[] | null;
}

/** An `issue` row (never a pull request), keyed by GitHub's id. */
export interface IssueUpsert {
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  state: 'open' | 'closed';
  author: GithubActor | null;
  labels: string[];
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

/** A `git_commit` row and its `git_commit_repository` link, from a push. */
export interface CommitUpsert {
  sha: string;
  repositoryId: number;
  /** The git author (push payloads name no account id: resolved by e-mail). */
  author: Extract<ActorRef, { kind: 'commit-author' }>;
  authoredAt: Date;
  messageHeadline: string;
  coAuthors: CoAuthor[];
}

/**
 * What one delivery means for the database, computed by a pure normaliser and applied by
 * `DeliveryProcessingService`: entity upserts, activities (idempotent by source key), and stars
 * removed or restored.
 */
export interface DeliveryPlan {
  /** `processed`: the delivery was used (even with nothing to record); `ignored`: not used. */
  outcome: 'processed' | 'ignored';
  /** Why it was ignored, for logs. */
  reason?: string;
  repository: RepositoryUpsert | null;
  pullRequests: PullRequestUpsert[];
  issues: IssueUpsert[];
  commits: CommitUpsert[];
  activities: ActivityInput[];
  /** Activities undone (a star removed), by source key, with the instant they were undone. */
  removals: Array<{ sourceKey: string; removedAt: Date }>;
  /** Activities done again after an undo (a repository starred again), by source key. */
  restorations: string[];
}

/** A plan that records the delivery as processed with no effect yet; normalisers fill it. */
export function processedPlan(repository: RepositoryUpsert | null = null): DeliveryPlan {
  return { outcome: 'processed', repository, pullRequests: [], issues: [], commits: [], activities: [], removals: [], restorations: [] };
}

/** A plan that changes nothing and marks the delivery `ignored`. */
export function ignoredPlan(reason: string): DeliveryPlan {
  return { ...processedPlan(), outcome: 'ignored', reason };
}

/**
 * An activity by a GitHub account (`null` = deleted account) from a webhook delivery.
 * @param occurredAt the fact's own UTC instant from the payload, not the receive time.
 */
export function githubActivity(
  type: ActivityType,
  sourceKey: string,
  account: GithubActor | null,
  occurredAt: Date,
  repositoryId: number,
  facts: Record<string, unknown>,
): ActivityInput {
  return { type, occurredAt, repositoryId, actor: { kind: 'github', account }, source: 'webhook', sourceKey, facts };
}
