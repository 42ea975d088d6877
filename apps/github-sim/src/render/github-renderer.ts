import type { Account } from '../seed/accounts.js';
import type { CommitRecord, IssueCommentRecord, IssueRecord, PullRequestRecord, RepositoryData } from '../seed/snapshot.types.js';
import type { JsonObject, UrlContext } from './github-json.types.js';
import { renderCommit } from './render-commit.js';
import { renderIssue, renderIssueComment, renderPullRequestAsIssue } from './render-issue.js';
import { renderPullRequest, renderPullRequestSimple } from './render-pull-request.js';
import { renderRepository } from './render-repository.js';
import { renderSimpleUser } from './render-user.js';

function memo<K extends object>(cache: WeakMap<K, JsonObject>, key: K, render: () => JsonObject): JsonObject {
  let value = cache.get(key);
  if (value === undefined) {
    value = render();
    cache.set(key, value);
  }
  return value;
}

/**
 * Renders snapshot records to GitHub JSON once per record and server (the snapshot never changes while serving),
 * so a list page costs one JSON.stringify. Returned objects are shared: callers must not mutate them.
 */
export class GithubRenderer {
  private readonly users = new WeakMap<Account, JsonObject>();
  private readonly repos = new WeakMap<RepositoryData, JsonObject>();
  private readonly commits = new WeakMap<CommitRecord, JsonObject>();
  private readonly pullsSimple = new WeakMap<PullRequestRecord, JsonObject>();
  private readonly pullsFull = new WeakMap<PullRequestRecord, JsonObject>();
  private readonly pullIssues = new WeakMap<PullRequestRecord, JsonObject>();
  private readonly issues = new WeakMap<IssueRecord, JsonObject>();
  private readonly comments = new WeakMap<IssueCommentRecord, JsonObject>();

  constructor(readonly ctx: UrlContext) {}

  user(account: Account): JsonObject {
    return memo(this.users, account, () => renderSimpleUser(account, this.ctx));
  }

  repository(data: RepositoryData): JsonObject {
    return memo(this.repos, data, () => renderRepository(data, this.ctx));
  }

  commit(commit: CommitRecord, data: RepositoryData): JsonObject {
    return memo(this.commits, commit, () => renderCommit(commit, data.repository, this.ctx));
  }

  pullRequestSimple(pr: PullRequestRecord, data: RepositoryData): JsonObject {
    return memo(this.pullsSimple, pr, () => renderPullRequestSimple(pr, data, this.repository(data), this.ctx));
  }

  pullRequest(pr: PullRequestRecord, data: RepositoryData): JsonObject {
    return memo(this.pullsFull, pr, () => renderPullRequest(pr, data, this.repository(data), this.ctx));
  }

  pullRequestAsIssue(pr: PullRequestRecord, data: RepositoryData): JsonObject {
    return memo(this.pullIssues, pr, () => renderPullRequestAsIssue(pr, data.repository, this.ctx, data.labels));
  }

  issue(issue: IssueRecord, data: RepositoryData): JsonObject {
    return memo(this.issues, issue, () => renderIssue(issue, data.repository, this.ctx, data.labels));
  }

  issueComment(comment: IssueCommentRecord, data: RepositoryData): JsonObject {
    return memo(this.comments, comment, () => renderIssueComment(comment, data.repository, this.ctx));
  }
}
