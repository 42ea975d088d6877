import type { Snapshot } from '../seed/snapshot.types.js';
import { buildIssueCommentDelivery, buildIssueOpenedDelivery } from './build-issue-events.js';
import { buildPullRequestDelivery } from './build-pull-request.js';
import { buildPushDelivery } from './build-push.js';
import { buildForkDelivery, buildReleasePublishedDelivery, buildStarDelivery } from './build-repository-events.js';
import type { WebhookDelivery } from './emit-webhooks.js';
import type { WebhookBuildOptions } from './webhook-context.js';

/**
 * One delivery of each supported kind for a repository, in a plausible order: push, pull_request opened and
 * closed, issues opened, issue_comment created, star created, fork, release published. Deterministic
 * (delivery ids are assigned by emitWebhooks).
 */
export function buildActivityDeliveries(snapshot: Snapshot, fullName: string, options: WebhookBuildOptions = {}): WebhookDelivery[] {
  const deliveries: WebhookDelivery[] = [buildPushDelivery(snapshot, fullName, options)];
  const data = snapshot.byFullName.get(fullName.toLowerCase());
  if (data && data.pulls.length > 0) {
    deliveries.push(buildPullRequestDelivery(snapshot, fullName, 'opened', options), buildPullRequestDelivery(snapshot, fullName, 'closed', options));
  }
  if (data && data.issues.length > 0) {
    deliveries.push(buildIssueOpenedDelivery(snapshot, fullName, options), buildIssueCommentDelivery(snapshot, fullName, options));
  }
  deliveries.push(
    buildStarDelivery(snapshot, fullName, options),
    buildForkDelivery(snapshot, fullName, options),
    buildReleasePublishedDelivery(snapshot, fullName, options),
  );
  return deliveries;
}
