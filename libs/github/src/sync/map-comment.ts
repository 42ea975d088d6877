import type { ActivityInput } from '#libs/members';
import { issueCommentKey, reviewCommentKey, reviewKey } from '../activity-keys.js';
import { numberFromUrl, restActor } from './rest-actor.js';
import type { RestIssueComment, RestReview, RestReviewComment } from './rest-shapes.js';

/**
 * An item of "List issue comments for a repository" → an `issue_comment` activity keyed
 * `issue_comment:<id>` (the webhook `issue_comment` key), at `created_at`, by the commenter
 * (`user: null` → the deleted-account sentinel, case I1). Comments on a pull request's
 * conversation come from the same endpoint and count the same.
 */
export function mapIssueComment(comment: RestIssueComment, repositoryId: number): ActivityInput {
  return {
    type: 'issue_comment',
    occurredAt: new Date(comment.created_at),
    repositoryId,
    actor: { kind: 'github', account: restActor(comment.user) },
    source: 'api',
    sourceKey: issueCommentKey(comment.id),
    facts: { number: numberFromUrl(comment.issue_url), url: comment.html_url ?? null },
  };
}

/**
 * An item of "List review comments in a repository" → a `review_comment` activity keyed
 * `review_comment:<id>`, at `created_at`, by the commenter (`user: null` → deleted sentinel).
 */
export function mapReviewComment(comment: RestReviewComment, repositoryId: number): ActivityInput {
  return {
    type: 'review_comment',
    occurredAt: new Date(comment.created_at),
    repositoryId,
    actor: { kind: 'github', account: restActor(comment.user) },
    source: 'api',
    sourceKey: reviewCommentKey(comment.id),
    facts: { number: numberFromUrl(comment.pull_request_url), review_id: comment.pull_request_review_id ?? null, url: comment.html_url ?? null },
  };
}

/**
 * An item of "List reviews for a pull request" → a `review` activity keyed `review:<id>`, at
 * `submitted_at`, by the reviewer (`user: null` → deleted sentinel, case I1); null for a pending
 * review (state `PENDING` or no `submitted_at`: GitHub Docs, "Pull request reviews": a pending
 * review is not submitted and is visible only to its author).
 */
export function mapReview(review: RestReview, repositoryId: number, pullNumber: number): ActivityInput | null {
  if (review.state === 'PENDING' || !review.submitted_at) return null;
  return {
    type: 'review',
    occurredAt: new Date(review.submitted_at),
    repositoryId,
    actor: { kind: 'github', account: restActor(review.user) },
    source: 'api',
    sourceKey: reviewKey(review.id),
    facts: { number: pullNumber, state: review.state, url: review.html_url ?? null },
  };
}
