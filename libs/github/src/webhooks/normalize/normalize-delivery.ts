import { ignoredPlan, processedPlan, type DeliveryPlan } from './delivery-plan.js';
import { normalizeIssueComment, normalizeIssues } from './normalize-issues.js';
import { normalizePullRequest, normalizePullRequestReview, normalizePullRequestReviewComment } from './normalize-pull-request.js';
import { normalizePush } from './normalize-push.js';
import { normalizeFork, normalizeRelease, normalizeRepository, normalizeStar } from './normalize-repository-events.js';
import type { Json, NormalizeContext } from './payload-fields.js';

/** Events stored for the record with no effect (GitHub App and hook life cycle). */
const RECORDED_ONLY = new Set(['ping', 'installation', 'installation_repositories']);

/**
 * The plan of one stored delivery: which rows to upsert and which activities to record.
 * Pure; unknown events are `ignored`. See each normaliser for the rules of its event.
 * @param event the `X-GitHub-Event` header.
 * @param payload the parsed payload.
 */
export function normalizeDelivery(event: string, payload: Json, context: NormalizeContext): DeliveryPlan {
  switch (event) {
    case 'push':
      return normalizePush(payload, context);
    case 'pull_request':
      return normalizePullRequest(payload, context);
    case 'pull_request_review':
      return normalizePullRequestReview(payload, context);
    case 'pull_request_review_comment':
      return normalizePullRequestReviewComment(payload, context);
    case 'issues':
      return normalizeIssues(payload, context);
    case 'issue_comment':
      return normalizeIssueComment(payload, context);
    case 'star':
      return normalizeStar(payload, context);
    case 'fork':
      return normalizeFork(payload, context);
    case 'release':
      return normalizeRelease(payload, context);
    case 'repository':
      return normalizeRepository(payload);
    default:
      return RECORDED_ONLY.has(event) ? processedPlan() : ignoredPlan(`event ${event} is not used`);
  }
}
