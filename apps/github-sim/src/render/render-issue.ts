import { legacyNodeId } from '../seed/ids.js';
import type { IssueCommentRecord, IssueRecord, LabelRecord, PullRequestRecord, RepositoryRecord } from '../seed/snapshot.types.js';
import { renderLabel, renderLabelNames } from './render-community.js';
import type { JsonObject, UrlContext } from './github-json.types.js';
import { renderSimpleUser } from './render-user.js';

function issueUrls(repo: RepositoryRecord, number: number, ctx: UrlContext) {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const url = `${api}/issues/${number}`;
  return {
    url,
    repository_url: api,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    timeline_url: `${url}/timeline`,
  };
}

/** GitHub's issue object for a GENERATED issue; `labels` are the repository's, to render the issue's label names. */
export function renderIssue(issue: IssueRecord, repo: RepositoryRecord, ctx: UrlContext, labels: readonly LabelRecord[] = []): JsonObject {
  const byName = new Map(labels.map((label) => [label.name, label]));
  return {
    ...issueUrls(repo, issue.number, ctx),
    html_url: `${ctx.htmlUrl}/${repo.fullName}/issues/${issue.number}`,
    id: issue.id,
    node_id: legacyNodeId('Issue', issue.id),
    number: issue.number,
    title: issue.title,
    user: renderSimpleUser(issue.user, ctx),
    labels: issue.labels.flatMap((name) => {
      const label = byName.get(name);
      return label ? [renderLabel(label, repo, ctx)] : [];
    }),
    state: issue.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: issue.authorAssociation,
    active_lock_reason: null,
    body: issue.body,
    performed_via_github_app: null,
    state_reason: issue.stateReason,
  };
}

/**
 * The issue object GitHub returns for a pull request in the issues API: same shape as an issue plus a
 * `pull_request` key {url, html_url, diff_url, patch_url, merged_at} (GitHub Docs, "List repository issues":
 * "GitHub's REST API considers every pull request an issue"). `comments` is 0: the export has no comment counts.
 */
export function renderPullRequestAsIssue(pr: PullRequestRecord, repo: RepositoryRecord, ctx: UrlContext, labels: readonly LabelRecord[] = []): JsonObject {
  const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${pr.number}`;
  return {
    ...issueUrls(repo, pr.number, ctx),
    html_url: html,
    id: pr.issueId,
    node_id: legacyNodeId('Issue', pr.issueId),
    number: pr.number,
    title: pr.title,
    user: renderSimpleUser(pr.user, ctx),
    labels: renderLabelNames(pr.labels, repo, labels, ctx),
    state: pr.state,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: 0,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    author_association: pr.authorAssociation,
    active_lock_reason: null,
    draft: false,
    pull_request: {
      url: `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${pr.number}`,
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      merged_at: pr.mergedAt,
    },
    body: null,
    performed_via_github_app: null,
    state_reason: null,
  };
}

/** GitHub's issue comment object for a GENERATED comment. */
export function renderIssueComment(comment: IssueCommentRecord, repo: RepositoryRecord, ctx: UrlContext): JsonObject {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  return {
    url: `${api}/issues/comments/${comment.id}`,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: legacyNodeId('IssueComment', comment.id),
    user: renderSimpleUser(comment.user, ctx),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.authorAssociation,
    body: comment.body,
    performed_via_github_app: null,
  };
}
