import { legacyNodeId } from '../seed/ids.js';
import type { PullRequestRecord, RepositoryData } from '../seed/snapshot.types.js';
import type { JsonObject, UrlContext } from './github-json.types.js';
import { renderLabelNames } from './render-community.js';
import { renderSimpleUser } from './render-user.js';

/**
 * GitHub's "pull-request-simple" object (List pull requests). `head.repo` is the base repository for a
 * same-repository branch and null otherwise (forks are not simulated; GitHub also returns null for deleted forks).
 * `repoJson` is the already-rendered repository, shared to keep rendering cheap.
 */
export function renderPullRequestSimple(pr: PullRequestRecord, data: RepositoryData, repoJson: JsonObject, ctx: UrlContext): JsonObject {
  const repo = data.repository;
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${pr.number}`;
  const url = `${api}/pulls/${pr.number}`;
  const issueUrl = `${api}/issues/${pr.number}`;
  return {
    url,
    id: pr.id,
    node_id: legacyNodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${api}/statuses/${pr.head.sha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: renderSimpleUser(pr.user, ctx),
    body: null,
    labels: renderLabelNames(pr.labels, data.repository, data.labels, ctx),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: {
      label: `${pr.head.owner.login}:${pr.head.ref}`,
      ref: pr.head.ref,
      sha: pr.head.sha,
      user: renderSimpleUser(pr.head.owner, ctx),
      repo: pr.head.sameRepository ? repoJson : null,
    },
    base: {
      label: `${repo.owner.login}:${pr.base.ref}`,
      ref: pr.base.ref,
      sha: pr.base.sha,
      user: renderSimpleUser(repo.owner, ctx),
      repo: repoJson,
    },
    _links: {
      self: { href: url },
      html: { href: html },
      issue: { href: issueUrl },
      comments: { href: `${issueUrl}/comments` },
      review_comments: { href: `${url}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${url}/commits` },
      statuses: { href: `${api}/statuses/${pr.head.sha}` },
    },
    author_association: pr.authorAssociation,
    auto_merge: null,
    draft: false,
  };
}

/**
 * GitHub's full "pull-request" object (Get a pull request): the simple object plus merge state. Counts the export
 * cannot give (comments, review_comments, commits, additions, deletions, changed_files) are left out; `mergeable`
 * is null, GitHub's value while not computed.
 */
export function renderPullRequest(pr: PullRequestRecord, data: RepositoryData, repoJson: JsonObject, ctx: UrlContext): JsonObject {
  return {
    ...renderPullRequestSimple(pr, data, repoJson, ctx),
    merged: pr.merged,
    mergeable: null,
    rebaseable: null,
    mergeable_state: 'unknown',
    merged_by: pr.mergedBy ? renderSimpleUser(pr.mergedBy, ctx) : null,
    maintainer_can_modify: false,
  };
}
