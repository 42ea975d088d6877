import { issueCommentKey, issueKey } from '../../activity-keys.js';
import { githubActivity, ignoredPlan, processedPlan, type DeliveryPlan, type IssueUpsert } from './delivery-plan.js';
import { accountFact, actor, id, instant, object, repositoryOf, text, type Json, type NormalizeContext } from './payload-fields.js';

/** `issues` actions that neither change the row usefully nor count as activity. */
const IGNORED_ISSUE_ACTIONS = new Set(['deleted', 'transferred']);

/**
 * `issues` (GitHub Docs, "Webhook events and payloads": issues). Upserts the `issue` row by
 * GitHub id on every action but `deleted` and `transferred`; activities:
 * - `opened` → `issue_opened` by the author, at `created_at`;
 * - `closed` → `issue_closed` by the sender (who closed it), at `closed_at`;
 * - `reopened` → `issue_reopened` by the sender, at the event time (`updated_at`).
 * An issue that is a pull request (it has `pull_request`) is left to the pull request events.
 */
export function normalizeIssues(payload: Json, context: NormalizeContext): DeliveryPlan {
  const action = text(payload.action) ?? '';
  if (IGNORED_ISSUE_ACTIONS.has(action)) return ignoredPlan(`issues ${action}`);
  const repository = repositoryOf(payload);
  const issue = issueOf(payload, repository?.id ?? null);
  if (!repository || !issue) return ignoredPlan('issues delivery without a repository or issue, or about a pull request');
  const plan = processedPlan(repository);
  plan.issues.push(issue);
  const sender = actor(payload.sender);
  const facts = { number: issue.number, title: issue.title, url: text(object(payload.issue)?.html_url) };
  if (action === 'opened') {
    plan.activities.push(githubActivity('issue_opened', issueKey(issue.repositoryId, issue.number, 'opened'), issue.author, issue.createdAt, issue.repositoryId, facts));
  } else if (action === 'closed') {
    const closedAt = issue.closedAt ?? issue.updatedAt ?? context.receivedAt;
    plan.activities.push(
      githubActivity('issue_closed', issueKey(issue.repositoryId, issue.number, 'closed', closedAt), sender, closedAt, issue.repositoryId, {
        ...facts,
        author: accountFact(issue.author),
      }),
    );
  } else if (action === 'reopened') {
    plan.activities.push(
      githubActivity('issue_reopened', issueKey(issue.repositoryId, issue.number, 'reopened', issue.updatedAt), sender, issue.updatedAt, issue.repositoryId, {
        ...facts,
        author: accountFact(issue.author),
      }),
    );
  }
  return plan;
}

/**
 * `issue_comment` `created` → an `issue_comment` activity by the commenter keyed
 * `issue_comment:<id>`, at the comment's `created_at` (GitHub Docs: issue_comment). Comments on
 * a pull request's conversation arrive here too: they count the same, but no `issue` row is
 * written for a pull request. Edits and deletions are ignored.
 */
export function normalizeIssueComment(payload: Json, context: NormalizeContext): DeliveryPlan {
  if (payload.action !== 'created') return ignoredPlan(`issue_comment ${String(payload.action)}`);
  const repository = repositoryOf(payload);
  const comment = object(payload.comment);
  const commentId = id(comment?.id);
  if (!repository || !comment || commentId === null) return ignoredPlan('issue_comment without a repository or comment');
  const plan = processedPlan(repository);
  const issue = issueOf(payload, repository.id);
  if (issue) plan.issues.push(issue);
  const rawIssue = object(payload.issue);
  plan.activities.push(
    githubActivity('issue_comment', issueCommentKey(commentId), actor(comment.user), instant(comment.created_at) ?? context.receivedAt, repository.id, {
      number: id(rawIssue?.number),
      on_pull_request: Boolean(rawIssue?.pull_request),
      url: text(comment.html_url),
    }),
  );
  return plan;
}

/** The row of `payload.issue`; null when it is a pull request or lacks an id, number or dates. */
export function issueOf(payload: Json, repositoryId: number | null): IssueUpsert | null {
  const issue = object(payload.issue);
  const issueId = id(issue?.id);
  const number = id(issue?.number);
  const createdAt = instant(issue?.created_at);
  if (!issue || issue.pull_request || issueId === null || number === null || repositoryId === null || !createdAt) return null;
  const labels = Array.isArray(issue.labels) ? issue.labels.map((label) => text(object(label)?.name)).filter((name): name is string => !!name) : [];
  return {
    id: issueId,
    repositoryId,
    number,
    title: text(issue.title) ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    author: actor(issue.user),
    labels,
    createdAt,
    updatedAt: instant(issue.updated_at) ?? createdAt,
    closedAt: instant(issue.closed_at),
  };
}
