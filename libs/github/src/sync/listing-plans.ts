import { Injectable } from '@nestjs/common';
import type { RepositoryEntity } from '../entities/repository.entity.js';
import { CommitWriter } from './commit-writer.service.js';
import { PER_PAGE, type ListingPlan } from './listing-sync.service.js';
import { mapIssueComment, mapReviewComment } from './map-comment.js';
import { mapFork, mapRelease } from './map-repository-events.js';
import { PullDetailsSync } from './pull-details-sync.service.js';
import { PullRequestWriter } from './pull-request-writer.service.js';
import { ResourceWriter } from './resource-writer.service.js';
import type {
  RestCommit,
  RestFork,
  RestIssue,
  RestIssueComment,
  RestLabel,
  RestPullRequest,
  RestRelease,
  RestReviewComment,
} from './rest-shapes.js';

/**
 * How each newest-first listing of a repository is requested, ordered and written (run by
 * `ListingSync`). Every write is idempotent (`ON CONFLICT`, unique activity keys).
 */
@Injectable()
export class ListingPlans {
  constructor(
    private readonly commitWriter: CommitWriter,
    private readonly pullWriter: PullRequestWriter,
    private readonly writer: ResourceWriter,
    private readonly details: PullDetailsSync,
  ) {}

  /** "List commits" of the default branch; 409 (an empty repository) lists nothing. */
  commits(repository: RepositoryEntity): ListingPlan<RestCommit> {
    return {
      resource: 'commits',
      route: 'GET /repos/{owner}/{repo}/commits',
      params: { owner: repository.owner, repo: repository.name, sha: repository.defaultBranch!, per_page: PER_PAGE },
      instantOf: (commit) => commit.commit.committer?.date ?? commit.commit.author?.date ?? '',
      write: (commits) => this.commitWriter.writeCommits(repository.id, commits),
      emptyStatuses: [409],
    };
  }

  /**
   * "List pull requests", every state, most recently updated first; once the listing is up to
   * date, the details of merged pull requests that need them (see `PullDetailsSync`).
   */
  pulls(repository: RepositoryEntity): ListingPlan<RestPullRequest> {
    return {
      resource: 'pulls',
      route: 'GET /repos/{owner}/{repo}/pulls',
      params: {
        owner: repository.owner,
        repo: repository.name,
        state: 'all',
        sort: 'updated',
        direction: 'desc',
        per_page: PER_PAGE,
      },
      instantOf: (pull) => pull.updated_at,
      write: (pulls) => this.pullWriter.writePullRequests(repository.id, pulls),
      finish: (result, counters) => this.details.sync(repository, result, counters),
    };
  }

  /**
   * "List repository issues", every state, most recently updated first. The endpoint returns
   * pull requests too (GitHub Docs: "GitHub's REST API considers every pull request an issue");
   * the writer keeps only items without a `pull_request` key, and paging follows `Link:
   * rel="next"` whatever a page held, so a page made only of pull requests never ends the pass
   * (case S3). `since` is not sent: the first page's URL must stay the same from pass to pass for
   * its ETag to answer 304, and the watermark stop costs the same number of pages.
   */
  issues(repository: RepositoryEntity): ListingPlan<RestIssue> {
    return {
      resource: 'issues',
      route: 'GET /repos/{owner}/{repo}/issues',
      params: { owner: repository.owner, repo: repository.name, state: 'all', sort: 'updated', direction: 'desc', per_page: PER_PAGE },
      instantOf: (issue) => issue.updated_at,
      write: (items) => this.writer.writeIssues(repository.id, items),
    };
  }

  /** "List issue comments for a repository", most recently updated first (issues and pull request conversations). */
  issueComments(repository: RepositoryEntity): ListingPlan<RestIssueComment> {
    return {
      resource: 'issue_comments',
      route: 'GET /repos/{owner}/{repo}/issues/comments',
      params: { owner: repository.owner, repo: repository.name, sort: 'updated', direction: 'desc', per_page: PER_PAGE },
      instantOf: (comment) => comment.updated_at,
      write: (comments) => this.writer.recordActivities(comments.map((comment) => mapIssueComment(comment, repository.id))),
    };
  }

  /** "List review comments in a repository", most recently updated first. */
  reviewComments(repository: RepositoryEntity): ListingPlan<RestReviewComment> {
    return {
      resource: 'review_comments',
      route: 'GET /repos/{owner}/{repo}/pulls/comments',
      params: { owner: repository.owner, repo: repository.name, sort: 'updated', direction: 'desc', per_page: PER_PAGE },
      instantOf: (comment) => comment.updated_at,
      write: (comments) => this.writer.recordActivities(comments.map((comment) => mapReviewComment(comment, repository.id))),
    };
  }

  /** "List releases": newest first by creation; drafts are not recorded. */
  releases(repository: RepositoryEntity): ListingPlan<RestRelease> {
    return {
      resource: 'releases',
      route: 'GET /repos/{owner}/{repo}/releases',
      params: { owner: repository.owner, repo: repository.name, per_page: PER_PAGE },
      instantOf: (release) => release.created_at,
      write: (releases) =>
        this.writer.recordActivities(releases.flatMap((release) => mapRelease(release, repository.id) ?? [])),
    };
  }

  /** "List forks" with `sort=newest` (GitHub's default), so the watermark stop applies. */
  forks(repository: RepositoryEntity): ListingPlan<RestFork> {
    return {
      resource: 'forks',
      route: 'GET /repos/{owner}/{repo}/forks',
      params: { owner: repository.owner, repo: repository.name, sort: 'newest', per_page: PER_PAGE },
      instantOf: (fork) => fork.created_at,
      write: (forks) => this.writer.recordActivities(forks.map((fork) => mapFork(fork, repository.id))),
    };
  }

  /** "List labels for a repository": unordered, so a changed first page walks every page (labels are few). */
  labels(repository: RepositoryEntity): ListingPlan<RestLabel> {
    return {
      resource: 'labels',
      route: 'GET /repos/{owner}/{repo}/labels',
      params: { owner: repository.owner, repo: repository.name, per_page: PER_PAGE },
      instantOf: () => '',
      write: (labels) => this.writer.writeLabels(repository.id, labels),
    };
  }
}
