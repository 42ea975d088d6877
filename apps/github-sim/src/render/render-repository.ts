import { legacyNodeId } from '../seed/ids.js';
import type { RepositoryData } from '../seed/snapshot.types.js';
import type { JsonObject, UrlContext } from './github-json.types.js';
import { renderSimpleUser } from './render-user.js';

/** open_issues_count as GitHub counts it: open issues plus open pull requests. */
export function openIssuesCount(data: RepositoryData): number {
  return data.issues.filter((i) => i.state === 'open').length + data.pulls.filter((p) => p.state === 'open').length;
}

/**
 * GitHub's repository object (the "full-repository" fields the data can fill). Unknown facts are the empty
 * values GitHub uses for a repository without them: description/homepage/language/license null, watchers 0,
 * topics [] unless set (`POST /_sim/repositories/topics`). Star and fork counts are those of the GENERATED stargazers and forks (see README).
 */
export function renderRepository(data: RepositoryData, ctx: UrlContext): JsonObject {
  const repo = data.repository;
  const api = `${ctx.apiUrl}/repos/${repo.fullName}`;
  const html = `${ctx.htmlUrl}/${repo.fullName}`;
  const openIssues = openIssuesCount(data);
  const owner = renderSimpleUser(repo.owner, ctx);
  return {
    id: repo.id,
    node_id: legacyNodeId('Repository', repo.id),
    name: repo.name,
    full_name: repo.fullName,
    private: false,
    owner,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    git_url: `git://github.com/${repo.fullName}.git`,
    ssh_url: `git@github.com:${repo.fullName}.git`,
    clone_url: `${html}.git`,
    svn_url: html,
    homepage: null,
    size: 0,
    stargazers_count: data.stargazers.length,
    watchers_count: data.stargazers.length,
    language: null,
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    forks_count: data.forks.length,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [...(repo.topics ?? [])],
    visibility: 'public',
    forks: data.forks.length,
    open_issues: openIssues,
    watchers: data.stargazers.length,
    default_branch: repo.defaultBranch,
    ...(repo.owner.type === 'Organization' ? { organization: owner } : {}),
    network_count: 0,
    subscribers_count: 0,
  };
}
