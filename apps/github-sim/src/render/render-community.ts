import type { Account } from '../seed/accounts.js';
import { legacyNodeId, stableId } from '../seed/ids.js';
import type { ForkRecord, LabelRecord, ReleaseRecord, RepositoryRecord, ReviewCommentRecord, ReviewRecord, StargazerRecord } from '../seed/snapshot.types.js';
import type { JsonObject, UrlContext } from './github-json.types.js';
import { renderSimpleUser } from './render-user.js';

/** `user` as GitHub sends it: a simple-user, or `null` for a deleted account. */
function userOrNull(account: Account | null, ctx: UrlContext): JsonObject | null {
  return account ? renderSimpleUser(account, ctx) : null;
}

/** GitHub's label object (GitHub Docs, "List labels for a repository"). */
export function renderLabel(label: LabelRecord, repo: RepositoryRecord, ctx: UrlContext): JsonObject {
  return {
    id: label.id,
    node_id: legacyNodeId('Label', label.id),
    url: `${ctx.apiUrl}/repos/${repo.fullName}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.default,
    description: label.description,
  };
}

/**
 * The label objects of a pull request's label names (`POST /_sim/pulls/labels`): the repository's
 * label of that name when it has one, else a label GENERATED for it (stable id, grey).
 */
export function renderLabelNames(names: readonly string[] | undefined, repo: RepositoryRecord, labels: readonly LabelRecord[], ctx: UrlContext): JsonObject[] {
  const byName = new Map(labels.map((label) => [label.name, label]));
  return (names ?? []).map((name) =>
    renderLabel(byName.get(name) ?? { id: stableId('other', `label:${repo.fullName}:${name}`), name, color: 'ededed', description: '', default: false }, repo, ctx),
  );
}

/** GitHub's pull request review object (GitHub Docs, "List reviews for a pull request"). */
export function renderReview(review: ReviewRecord, repo: RepositoryRecord, ctx: UrlContext): JsonObject {
  const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const pullUrl = `${ctx.apiUrl}/repos/${repo.fullName}/pulls/${review.pullNumber}`;
  return {
    id: review.id,
    node_id: legacyNodeId('PullRequestReview', review.id),
    user: userOrNull(review.user, ctx),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: review.authorAssociation,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
  };
}

/** GitHub's review comment object (GitHub Docs, "List review comments in a repository"). */
export function renderReviewComment(comment: ReviewCommentRecord, repo: RepositoryRecord, ctx: UrlContext): JsonObject {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`;
  const url = `${api}/pulls/comments/${comment.id}`;
  const pullUrl = `${api}/pulls/${comment.pullNumber}`;
  return {
    url,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: legacyNodeId('PullRequestReviewComment', comment.id),
    diff_hunk: '@@ -1,1 +1,1 @@',
    path: comment.path,
    position: 1,
    original_position: 1,
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    user: userOrNull(comment.user, ctx),
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: comment.authorAssociation,
    _links: { self: { href: url }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: null,
    original_start_line: null,
    start_side: null,
    line: 1,
    original_line: 1,
    side: 'RIGHT',
    subject_type: 'line',
  };
}

/**
 * A stargazer: with `Accept: application/vnd.github.star+json` GitHub answers `{starred_at, user}`, otherwise the
 * bare simple-user (GitHub Docs, "List stargazers": "Starring" custom media type).
 */
export function renderStargazer(star: StargazerRecord, withTimestamps: boolean, ctx: UrlContext): JsonObject {
  const user = renderSimpleUser(star.user, ctx);
  return withTimestamps ? { starred_at: star.starredAt, user } : user;
}

/** A fork as `GET /repos/{owner}/{repo}/forks` lists it (a reduced repository object with `fork: true`). */
export function renderFork(fork: ForkRecord, ctx: UrlContext): JsonObject {
  const api = `${ctx.apiUrl}/repos/${fork.fullName}`;
  return {
    id: fork.id,
    node_id: legacyNodeId('Repository', fork.id),
    name: fork.name,
    full_name: fork.fullName,
    private: false,
    owner: renderSimpleUser(fork.owner, ctx),
    html_url: `${ctx.htmlUrl}/${fork.fullName}`,
    description: null,
    fork: true,
    url: api,
    created_at: fork.createdAt,
    updated_at: fork.createdAt,
    pushed_at: fork.createdAt,
    stargazers_count: 0,
    watchers_count: 0,
    forks_count: 0,
    archived: false,
    disabled: false,
    visibility: 'public',
  };
}

/** GitHub's release object (GitHub Docs, "List releases"); no assets. */
export function renderRelease(release: ReleaseRecord, repo: RepositoryRecord, ctx: UrlContext): JsonObject {
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const url = `${api}/releases/${release.id}`;
  return {
    url,
    html_url: `${ctx.htmlUrl}/${repo.fullName}/releases/tag/${encodeURIComponent(release.tagName)}`,
    assets_url: `${url}/assets`,
    upload_url: `https://uploads.github.com/repos/${repo.fullName}/releases/${release.id}/assets{?name,label}`,
    tarball_url: `${api}/tarball/${encodeURIComponent(release.tagName)}`,
    zipball_url: `${api}/zipball/${encodeURIComponent(release.tagName)}`,
    id: release.id,
    node_id: legacyNodeId('Release', release.id),
    tag_name: release.tagName,
    target_commitish: release.targetCommitish,
    name: release.name,
    draft: false,
    prerelease: false,
    created_at: release.createdAt,
    published_at: release.publishedAt,
    author: renderSimpleUser(release.author, ctx),
    assets: [],
    body: release.body,
  };
}
