import { renderPullRequest } from '../render/render-pull-request.js';
import { renderRepository } from '../render/render-repository.js';
import type { PullRequestRecord, Snapshot } from '../seed/snapshot.types.js';
import type { WebhookDelivery } from './emit-webhooks.js';
import { envelope, webhookScope, type WebhookBuildOptions } from './webhook-context.js';

/**
 * A `pull_request` delivery for a pull request of the snapshot:
 * - `opened`: the pull request as it was when opened (state open, not merged, closed/merged fields null,
 *   updated_at = created_at), sender = its user;
 * - `closed`: the pull request as the snapshot has it (merged or not), sender = merged_by when known, else its user.
 * Default number: the newest merged pull request (falls back to the newest one).
 */
export function buildPullRequestDelivery(
  snapshot: Snapshot,
  fullName: string,
  action: 'opened' | 'closed',
  options: WebhookBuildOptions & { number?: number } = {},
): WebhookDelivery {
  const scope = webhookScope(snapshot, fullName, options);
  const pulls = scope.data.pulls;
  const pr =
    options.number !== undefined
      ? scope.data.pullByNumber.get(options.number)
      : ([...pulls].reverse().find((p) => p.merged) ?? pulls[pulls.length - 1]);
  if (!pr) throw new RangeError(`no pull request ${options.number ?? ''} in ${fullName}`);
  const asOpened: PullRequestRecord = { ...pr, state: 'open', merged: false, mergedAt: null, mergedBy: null, closedAt: null, updatedAt: pr.createdAt, mergeCommitSha: null };
  const record = action === 'opened' ? asOpened : pr;
  const repoJson = renderRepository(scope.data, scope.urls);
  return {
    event: 'pull_request',
    payload: {
      action,
      number: pr.number,
      pull_request: renderPullRequest(record, scope.data, repoJson, scope.urls),
      ...envelope(scope, action === 'closed' ? (pr.mergedBy ?? pr.user) : pr.user),
    },
  };
}
