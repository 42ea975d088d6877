import { isDeletedAccount, type ActivityInput, type GithubActor } from '#libs/members';
import { pullRequestKey } from '../activity-keys.js';
import { GithubResponseError } from '../client/response-guard.js';
import { labelNames } from './map-issue.js';
import type { RestAccount, RestIssue, RestPullRequest } from './rest-shapes.js';

/** A `pull_request` row. */
export interface PullRequestRow {
  id: number;
  repositoryId: number;
  number: number;
  title: string;
  state: 'open' | 'closed';
  /** null for a deleted account (`user: null`, ghost). */
  authorAccountId: number | null;
  merged: boolean;
  mergedAt: Date | null;
  mergedByAccountId: number | null;
  headSha: string | null;
  headRef: string | null;
  baseRef: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  /** Label names as GitHub lists them; null when the object has no `labels` key (the stored ones stay). */
  labels: string[] | null;
}

/** What one REST pull request becomes. */
export interface PullRequestMapping {
  row: PullRequestRow;
  activities: ActivityInput[];
}

function actor(account: RestAccount | null | undefined): GithubActor | null {
  if (!account) return null;
  return { id: account.id, login: account.login, type: account.type ?? null, avatar_url: account.avatar_url ?? null };
}

/**
 * Maps a pull request of `GET /repos/{owner}/{repo}/pulls` to its row and activities, with the
 * keys the webhook path uses:
 * - `pull_request_opened` at `created_at`, crediting the author;
 * - `pull_request_merged` at `merged_at`, crediting the author (a merged change request is the
 *   author's contribution, as webhooks credit it); `merged_by` (`{id, login}` or null, the
 *   webhook's shape) in the facts when the object has the key — "Get a pull request" does, the
 *   list does not (`PullDetailsSync` adds it to the activity later);
 * - `pull_request_closed` at `closed_at` when closed without merge, crediting the author (the
 *   list does not say who closed it; a webhook that reported the closer first keeps its row).
 * A deleted author (`user: null`) credits the deleted-account sentinel. Instants are UTC.
 */
export function mapPullRequest(pr: RestPullRequest, repositoryId: number): PullRequestMapping {
  assertPullRequestShape(pr);
  const author = actor(pr.user);
  const mergedBy = actor(pr.merged_by);
  const mergedAt = pr.merged_at ? new Date(pr.merged_at) : null;
  const closedAt = pr.closed_at ? new Date(pr.closed_at) : null;
  const state: 'open' | 'closed' = pr.state === 'closed' ? 'closed' : 'open';
  const base = { number: pr.number, title: pr.title };
  const who = { kind: 'github' as const, account: author };
  const activities: ActivityInput[] = [
    {
      type: 'pull_request_opened',
      occurredAt: new Date(pr.created_at),
      repositoryId,
      actor: who,
      source: 'api',
      sourceKey: pullRequestKey(repositoryId, pr.number, 'opened'),
      facts: base,
    },
  ];
  if (mergedAt) {
    activities.push({
      type: 'pull_request_merged',
      occurredAt: mergedAt,
      repositoryId,
      actor: who,
      source: 'api',
      sourceKey: pullRequestKey(repositoryId, pr.number, 'merged'),
      facts: {
        ...base,
        ...(pr.merged_by !== undefined ? { merged_by: mergedBy && !isDeletedAccount(mergedBy) ? { id: mergedBy.id, login: mergedBy.login } : null } : {}),
        mergeCommitSha: pr.merge_commit_sha ?? null,
      },
    });
  } else if (state === 'closed' && closedAt) {
    activities.push({
      type: 'pull_request_closed',
      occurredAt: closedAt,
      repositoryId,
      actor: who,
      source: 'api',
      sourceKey: pullRequestKey(repositoryId, pr.number, 'closed', closedAt),
      facts: base,
    });
  }
  return {
    row: {
      id: pr.id,
      repositoryId,
      number: pr.number,
      title: pr.title,
      state,
      authorAccountId: author && !isDeletedAccount(author) ? author.id : null,
      merged: mergedAt !== null,
      mergedAt,
      mergedByAccountId: mergedBy && !isDeletedAccount(mergedBy) ? mergedBy.id : null,
      headSha: pr.head?.sha ?? null,
      headRef: pr.head?.ref ?? null,
      baseRef: pr.base?.ref ?? null,
      createdAt: new Date(pr.created_at),
      updatedAt: new Date(pr.updated_at),
      closedAt,
      labels: pullRequestLabels(pr.labels),
    },
    activities,
  };
}

/** Label names of a `labels` value (GitHub's order, no blanks or repeats); null when it is not an array (nothing known). */
export function pullRequestLabels(labels: unknown): string[] | null {
  return Array.isArray(labels) ? labelNames(labels as RestIssue['labels']).map((name) => name.replaceAll('\u0000', '')) : null;
}

const isInstant = (value: unknown): boolean => typeof value === 'string' && !Number.isNaN(Date.parse(value));

/**
 * Checks the fields the mapping relies on, as GitHub's schema for "List pull requests"
 * (`pull-request-simple`) requires them: numeric `id` and `number`, `state`, instants
 * `created_at` and `updated_at`, and `merged_at` / `closed_at` present, each null or an instant.
 * A missing `merged_at` must not read as "not merged": a merged pull request would be stored as
 * closed without merge, and the listing's watermark would not bring it back until it changes.
 * @throws GithubResponseError naming the pull request and the field.
 */
export function assertPullRequestShape(pr: RestPullRequest): void {
  const item = (pr ?? {}) as unknown as Record<string, unknown>;
  const what = `pull request ${typeof item.number === 'number' ? `#${item.number}` : '(no number)'}`;
  const fail = (problem: string) => {
    throw new GithubResponseError(`GitHub answered ${what} ${problem}; the page is not stored`, typeof item.url === 'string' ? item.url : 'pulls');
  };
  if (typeof item.id !== 'number' || typeof item.number !== 'number') fail('without a numeric id and number');
  if (item.state !== 'open' && item.state !== 'closed') fail(`with state ${JSON.stringify(item.state)} (open or closed expected)`);
  for (const field of ['created_at', 'updated_at']) if (!isInstant(item[field])) fail(`without an instant in ${field}`);
  for (const field of ['merged_at', 'closed_at']) {
    if (!(field in item)) fail(`without ${field} (null or an instant expected)`);
    if (item[field] !== null && !isInstant(item[field])) fail(`with ${field} ${JSON.stringify(item[field])} (null or an instant expected)`);
  }
}
