import type { ActivityType, GithubActor } from '#libs/members';
import { pullRequestKey, reviewCommentKey, reviewKey } from '../../activity-keys.js';
import { pullRequestLabels } from '../../sync/map-pull-request.js';
import { githubActivity as activity, ignoredPlan, processedPlan, type DeliveryPlan, type PullRequestUpsert } from './delivery-plan.js';
import { accountFact, actor, id, instant, object, repositoryOf, text, type Json, type NormalizeContext } from './payload-fields.js';

/**
 * `pull_request` (GitHub Docs, "Webhook events and payloads": pull_request). Every action
 * upserts the `pull_request` row by GitHub id (a stale delivery never overwrites a newer state).
 * Activities, keyed as the API sync keys them:
 * - `opened` → `pull_request_opened` by the author, at `created_at`;
 * - `closed` with `merged: true` → `pull_request_merged`, credited to the author (the contribution
 *   is theirs), at `merged_at`; who merged it is kept in `facts.merged_by`;
 * - `closed` unmerged → `pull_request_closed` by the sender (who closed it), at `closed_at`;
 * - `reopened` → `pull_request_reopened` by the sender, at the event time (`updated_at`);
 * - `labeled` / `unlabeled` (and every other action) only upsert the row: `labels` is the
 *   pull request's label set after the change, so a label added after the event closes is seen.
 * A deleted author (`user: null`) or ghost sender maps to the deleted-account identity (case I1).
 */
export function normalizePullRequest(payload: Json, context: NormalizeContext): DeliveryPlan {
  const repository = repositoryOf(payload);
  const pr = pullRequestOf(payload, repository?.id ?? null);
  if (!repository || !pr) return ignoredPlan('pull_request without a repository or pull request');
  const plan = processedPlan(repository);
  plan.pullRequests.push(pr);
  const sender = actor(payload.sender);
  // labels ride along in the facts so that a pull request known only from GH Archive events (which
  // write no pull_request row) still has the labels its events carried
  const facts = { number: pr.number, title: pr.title, url: text(object(payload.pull_request)?.html_url), ...(pr.labels?.length ? { labels: pr.labels } : {}) };
  const add = (type: ActivityType, sourceKey: string, who: GithubActor | null, occurredAt: Date, extra = {}) =>
    plan.activities.push(activity(type, sourceKey, who, occurredAt, pr.repositoryId, { ...facts, ...extra }));
  switch (payload.action) {
    case 'opened':
      add('pull_request_opened', pullRequestKey(pr.repositoryId, pr.number, 'opened'), pr.author, pr.createdAt);
      break;
    case 'closed':
      if (pr.merged) {
        add('pull_request_merged', pullRequestKey(pr.repositoryId, pr.number, 'merged'), pr.author, pr.mergedAt ?? pr.closedAt ?? context.receivedAt, {
          merged_by: accountFact(pr.mergedBy),
        });
      } else {
        const closedAt = pr.closedAt ?? pr.updatedAt;
        add('pull_request_closed', pullRequestKey(pr.repositoryId, pr.number, 'closed', closedAt), sender, closedAt, {
          author: accountFact(pr.author),
        });
      }
      break;
    case 'reopened':
      add('pull_request_reopened', pullRequestKey(pr.repositoryId, pr.number, 'reopened', pr.updatedAt), sender, pr.updatedAt, {
        author: accountFact(pr.author),
      });
      break;
  }
  return plan;
}

/**
 * `pull_request_review` `submitted` → a `review` activity by the reviewer keyed `review:<id>`,
 * at `submitted_at` (GitHub Docs: pull_request_review). Other actions (edited, dismissed) are
 * ignored. The pull request row is upserted from the payload's `pull_request`.
 */
export function normalizePullRequestReview(payload: Json, context: NormalizeContext): DeliveryPlan {
  if (payload.action !== 'submitted') return ignoredPlan(`pull_request_review ${String(payload.action)}`);
  const repository = repositoryOf(payload);
  const review = object(payload.review);
  const reviewId = id(review?.id);
  if (!repository || !review || reviewId === null) return ignoredPlan('pull_request_review without a repository or review');
  const plan = processedPlan(repository);
  const pr = pullRequestOf(payload, repository.id);
  if (pr) plan.pullRequests.push(pr);
  plan.activities.push(
    activity('review', reviewKey(reviewId), actor(review.user), instant(review.submitted_at) ?? context.receivedAt, repository.id, {
      number: pr?.number ?? null,
      state: text(review.state),
      url: text(review.html_url),
    }),
  );
  return plan;
}

/**
 * `pull_request_review_comment` `created` → a `review_comment` activity by the commenter keyed
 * `review_comment:<id>`, at the comment's `created_at` (GitHub Docs: pull_request_review_comment).
 * Edits and deletions are ignored.
 */
export function normalizePullRequestReviewComment(payload: Json, context: NormalizeContext): DeliveryPlan {
  if (payload.action !== 'created') return ignoredPlan(`pull_request_review_comment ${String(payload.action)}`);
  const repository = repositoryOf(payload);
  const comment = object(payload.comment);
  const commentId = id(comment?.id);
  if (!repository || !comment || commentId === null) return ignoredPlan('pull_request_review_comment without a repository or comment');
  const plan = processedPlan(repository);
  const pr = pullRequestOf(payload, repository.id);
  if (pr) plan.pullRequests.push(pr);
  plan.activities.push(
    activity('review_comment', reviewCommentKey(commentId), actor(comment.user), instant(comment.created_at) ?? context.receivedAt, repository.id, {
      number: pr?.number ?? null,
      url: text(comment.html_url),
    }),
  );
  return plan;
}

/**
 * The row of `payload.pull_request`; null when it lacks an id, number or dates. Review payloads
 * carry no `merged` flag: `merged_at` decides there.
 */
export function pullRequestOf(payload: Json, repositoryId: number | null): PullRequestUpsert | null {
  const pr = object(payload.pull_request);
  const prId = id(pr?.id);
  const number = id(pr?.number);
  const createdAt = instant(pr?.created_at);
  if (!pr || prId === null || number === null || repositoryId === null || !createdAt) return null;
  const mergedAt = instant(pr.merged_at);
  return {
    id: prId,
    repositoryId,
    number,
    title: text(pr.title) ?? '',
    state: pr.state === 'closed' ? 'closed' : 'open',
    author: actor(pr.user),
    merged: typeof pr.merged === 'boolean' ? pr.merged : mergedAt !== null,
    mergedAt,
    mergedBy: actor(pr.merged_by),
    headSha: text(object(pr.head)?.sha),
    headRef: text(object(pr.head)?.ref),
    baseRef: text(object(pr.base)?.ref),
    createdAt,
    updatedAt: instant(pr.updated_at) ?? createdAt,
    closedAt: instant(pr.closed_at),
    labels: pullRequestLabels(pr.labels),
  };
}
