import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivityService } from '#libs/members';
import { GITHUB_CLIENT } from '../client/github-client.module.js';
import { isNotModified, requestStatus, type GithubClient } from '../client/github-client.js';
import { parseLinkHeader, relativeToBase } from '../client/link-header.js';
import { RepositoryEntity } from '../entities/repository.entity.js';
import type { SyncResource } from '../entities/sync-state.entity.js';
import { advanceListing, readListingCursor, type ListingCursor } from './listing-cursor.js';
import { mapCommit } from './map-commit.js';
import { mapIssueComment, mapReview, mapReviewComment } from './map-comment.js';
import { mapPullRequest } from './map-pull-request.js';
import { mapFork, mapRelease, mapStargazer } from './map-repository-events.js';
import { ResourceWriter } from './resource-writer.service.js';
import type {
  RestCommit,
  RestFork,
  RestIssue,
  RestIssueComment,
  RestLabel,
  RestPullRequest,
  RestRelease,
  RestReview,
  RestReviewComment,
  RestStargazer,
} from './rest-shapes.js';
import { readStarCursor, starTailAfter, type StarCursor } from './star-cursor.js';
import { SyncException, SyncExceptionCode } from './sync.exception.js';
import { recordSyncGap } from './sync-gap.js';
import { SyncStateStore } from './sync-state.store.js';
import { DEFAULT_SYNC_RESOURCES, type RepositorySyncResult, type ResourceSyncResult, type SyncRepositoryOptions } from './sync.types.js';

/** GitHub's largest page (GitHub Docs, "Using pagination in the REST API"). */
const PER_PAGE = 100;

/**
 * The media type that makes "List stargazers" answer `{starred_at, user}` (GitHub Docs, "List
 * stargazers": "Starring" custom media type).
 */
const STAR_MEDIA_TYPE = 'application/vnd.github.star+json';

/** How often the stargazer set is re-listed in full to see unstars (24 h, in milliseconds). */
export const STAR_RELIST_INTERVAL_MS = 24 * 3_600_000;

/** An HTTP answer as the client returns it. */
interface ClientResponse {
  data: unknown;
  headers: Record<string, string | number | undefined>;
  /** The URL requested (Octokit sets it). */
  url?: string;
}

/** How one newest-first listing is requested, ordered and written. */
interface ListingPlan<T> {
  resource: SyncResource;
  /** Octokit route and parameters of the first page. */
  route: string;
  params: Record<string, string | number>;
  /** The instant the listing is ordered by, for the watermark. */
  instantOf(item: T): string;
  /** Writes one page idempotently; returns the activities inserted. */
  write(items: T[]): Promise<number>;
  /** Answers meaning "nothing to list" (409: the repository is empty). */
  emptyStatuses?: number[];
  /** Request headers of every page (a media type). */
  headers?: Record<string, string>;
}

/**
 * Syncs one repository's resources from GitHub's REST API — commits (default branch), pull
 * requests, reviews, issues, issue comments, review comments, releases, forks, stargazers and
 * labels (`SyncRepositoryOptions.resources`) — into their rows and activities, with the shared
 * activity source keys, per resource from its own `sync_state`. The listings:
 * - the first page is requested with `If-None-Match: <stored ETag>`; a 304 means nothing
 *   changed: it is counted (`not_modified`) and nothing is written (a 304 does not count against
 *   the primary rate limit; GitHub Docs, "Best practices for using the REST API");
 * - pages follow `Link: rel="next"`; after each page is written its cursor is committed, so a
 *   crash resumes at the next page; a pass stops at the watermark (see `listing-cursor.ts`);
 * - every write is idempotent (`ON CONFLICT`, unique activity keys): a second run over
 *   unchanged data adds no rows.
 * One process syncs a repository at a time (a Postgres advisory lock); a concurrent call
 * returns at once with `skipped: 'already-running'`.
 */
@Injectable()
export class RepositorySyncService {
  private readonly logger = new Logger(RepositorySyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(GITHUB_CLIENT) private readonly github: GithubClient,
    private readonly activities: ActivityService,
    private readonly states: SyncStateStore,
    private readonly writer: ResourceWriter,
  ) {}

  /**
   * Syncs the requested resources (default: commits then pull requests) of the repository with
   * GitHub id `repositoryId`, in the order of `ALL_REPOSITORY_RESOURCES`.
   * @throws SyncException REPOSITORY_NOT_FOUND when discovery has not stored it; GitHub
   *   request errors (after the client's retries) with the resource's state marked failed.
   */
  async syncRepository(repositoryId: number, options: SyncRepositoryOptions = {}): Promise<RepositorySyncResult> {
    const repository = await this.dataSource.getRepository(RepositoryEntity).findOneBy({ id: repositoryId });
    if (!repository) {
      throw new SyncException(`repository ${repositoryId} is not stored; run discovery first`, SyncExceptionCode.REPOSITORY_NOT_FOUND);
    }
    const lock = this.dataSource.createQueryRunner();
    await lock.connect();
    try {
      const [{ locked, startedAt }]: Array<{ locked: boolean; startedAt: Date }> = await lock.query(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked, now() AS "startedAt"`,
        [`sync-repository:${repositoryId}`],
      );
      if (!locked) {
        this.logger.log(`sync of ${repository.fullName} is running elsewhere: skipped`);
        return { repositoryId, fullName: repository.fullName, skipped: 'already-running', resources: [] };
      }
      try {
        const wanted = new Set(options.resources ?? DEFAULT_SYNC_RESOURCES);
        const resources: ResourceSyncResult[] = [];
        try {
          if (wanted.has('commits') && repository.defaultBranch) resources.push(await this.syncListing(repository, this.commitsPlan(repository), options));
          if (wanted.has('pulls')) resources.push(await this.syncListing(repository, this.pullsPlan(repository), options));
          if (wanted.has('reviews')) resources.push(await this.syncReviews(repository, options));
          if (wanted.has('issues')) resources.push(await this.syncListing(repository, this.issuesPlan(repository), options));
          if (wanted.has('issue_comments')) resources.push(await this.syncListing(repository, this.issueCommentsPlan(repository), options));
          if (wanted.has('review_comments')) resources.push(await this.syncListing(repository, this.reviewCommentsPlan(repository), options));
          if (wanted.has('releases')) resources.push(await this.syncListing(repository, this.releasesPlan(repository), options));
          if (wanted.has('forks')) resources.push(await this.syncListing(repository, this.forksPlan(repository), options));
          if (wanted.has('stargazers')) resources.push(await this.syncStargazers(repository, options));
          if (wanted.has('labels')) resources.push(await this.syncListing(repository, this.labelsPlan(repository), options));
        } finally {
          // passes that finished (even if a later one threw) record what webhooks missed
          await this.recordGaps(repository, startedAt, resources);
        }
        return { repositoryId, fullName: repository.fullName, resources };
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`sync-repository:${repositoryId}`]);
      }
    } finally {
      await lock.release();
    }
  }

  /**
   * Records a `sync_gap` per resource pass that inserted activities webhooks should have
   * delivered (see {@link recordSyncGap}) and logs a warning with the count. Never fails the sync.
   * @param startedAt database instant the run started at.
   */
  private async recordGaps(repository: RepositoryEntity, startedAt: Date, resources: ResourceSyncResult[]): Promise<void> {
    for (const pass of resources) {
      if (pass.activitiesInserted === 0) continue;
      try {
        const gap = await recordSyncGap((sql, params) => this.dataSource.query(sql, params), {
          repositoryId: repository.id,
          resource: pass.resource,
          since: startedAt,
        });
        if (gap) {
          this.logger.warn(
            `${pass.resource} of ${repository.fullName}: ${gap.activities} activities webhooks missed ` +
              `(${gap.oldestOccurredAt.toISOString()} to ${gap.newestOccurredAt.toISOString()}); recorded as sync gap ${gap.id}`,
          );
        }
      } catch (error) {
        this.logger.warn(`${pass.resource} of ${repository.fullName}: gap not recorded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private commitsPlan(repository: RepositoryEntity): ListingPlan<RestCommit> {
    return {
      resource: 'commits',
      route: 'GET /repos/{owner}/{repo}/commits',
      params: { owner: repository.owner, repo: repository.name, sha: repository.defaultBranch!, per_page: PER_PAGE },
      instantOf: (commit) => commit.commit.committer?.date ?? commit.commit.author?.date ?? '',
      write: (commits) => this.writeCommits(repository.id, commits),
      emptyStatuses: [409],
    };
  }

  private pullsPlan(repository: RepositoryEntity): ListingPlan<RestPullRequest> {
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
      write: (pulls) => this.writePullRequests(repository.id, pulls),
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
  private issuesPlan(repository: RepositoryEntity): ListingPlan<RestIssue> {
    return {
      resource: 'issues',
      route: 'GET /repos/{owner}/{repo}/issues',
      params: { owner: repository.owner, repo: repository.name, state: 'all', sort: 'updated', direction: 'desc', per_page: PER_PAGE },
      instantOf: (issue) => issue.updated_at,
      write: (items) => this.writer.writeIssues(repository.id, items),
    };
  }

  /** "List issue comments for a repository", most recently updated first (issues and pull request conversations). */
  private issueCommentsPlan(repository: RepositoryEntity): ListingPlan<RestIssueComment> {
    return {
      resource: 'issue_comments',
      route: 'GET /repos/{owner}/{repo}/issues/comments',
      params: { owner: repository.owner, repo: repository.name, sort: 'updated', direction: 'desc', per_page: PER_PAGE },
      instantOf: (comment) => comment.updated_at,
      write: (comments) => this.writer.recordActivities(comments.map((comment) => mapIssueComment(comment, repository.id))),
    };
  }

  /** "List review comments in a repository", most recently updated first. */
  private reviewCommentsPlan(repository: RepositoryEntity): ListingPlan<RestReviewComment> {
    return {
      resource: 'review_comments',
      route: 'GET /repos/{owner}/{repo}/pulls/comments',
      params: { owner: repository.owner, repo: repository.name, sort: 'updated', direction: 'desc', per_page: PER_PAGE },
      instantOf: (comment) => comment.updated_at,
      write: (comments) => this.writer.recordActivities(comments.map((comment) => mapReviewComment(comment, repository.id))),
    };
  }

  /** "List releases": newest first by creation; drafts are not recorded. */
  private releasesPlan(repository: RepositoryEntity): ListingPlan<RestRelease> {
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
  private forksPlan(repository: RepositoryEntity): ListingPlan<RestFork> {
    return {
      resource: 'forks',
      route: 'GET /repos/{owner}/{repo}/forks',
      params: { owner: repository.owner, repo: repository.name, sort: 'newest', per_page: PER_PAGE },
      instantOf: (fork) => fork.created_at,
      write: (forks) => this.writer.recordActivities(forks.map((fork) => mapFork(fork, repository.id))),
    };
  }

  /** "List labels for a repository": unordered, so a changed first page walks every page (labels are few). */
  private labelsPlan(repository: RepositoryEntity): ListingPlan<RestLabel> {
    return {
      resource: 'labels',
      route: 'GET /repos/{owner}/{repo}/labels',
      params: { owner: repository.owner, repo: repository.name, per_page: PER_PAGE },
      instantOf: () => '',
      write: (labels) => this.writer.writeLabels(repository.id, labels),
    };
  }

  /**
   * Reviews, one "List reviews for a pull request" walk per pull request whose `updated_at` moved
   * past the cursor — GitHub updates a pull request's `updated_at` when a review is submitted, and
   * the pull request sync (run just before) stored the new value. Pull requests are taken oldest
   * update first and the cursor `{after: {updatedAt, id}}` is saved after each one, so a crash
   * resumes at the next pull request and an unchanged re-sync makes no request. These lists have
   * no conditional first page: the endpoint is per pull request and a stored ETag per pull request
   * would buy nothing once the cursor filters unchanged ones out.
   */
  private async syncReviews(repository: RepositoryEntity, options: SyncRepositoryOptions): Promise<ResourceSyncResult> {
    const resource = 'reviews' as const;
    const stored = await this.states.start(repository.id, resource);
    const after = readReviewCursor(stored.cursor);
    const result: ResourceSyncResult = { resource, requests: 0, notModified: false, pages: 0, items: 0, activitiesInserted: 0, resumed: false };
    let unsaved = 0;
    let cursor: ReviewCursor = after ? { after } : {};
    try {
      for (const pull of await this.writer.pullRequestsUpdatedAfter(repository.id, after)) {
        let items = 0;
        await this.walk(
          () => this.github.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
            owner: repository.owner, repo: repository.name, pull_number: pull.number, per_page: PER_PAGE,
          }),
          {},
          async (reviews: RestReview[]) => {
            unsaved += 1;
            result.requests += 1;
            result.pages += 1;
            items += reviews.length;
            result.activitiesInserted += await this.writer.recordActivities(
              reviews.flatMap((review) => mapReview(review, repository.id, pull.number) ?? []),
            );
          },
          () => {
            unsaved += 1;
            result.requests += 1;
          },
        );
        result.items += items;
        cursor = { after: { updatedAt: pull.updatedAt, id: pull.id } };
        await this.states.savePage(repository.id, resource, cursor, { requests: unsaved, items });
        unsaved = 0;
        await options.afterPage?.({ repositoryId: repository.id, resource, pages: result.pages });
      }
      await this.states.complete(repository.id, resource, cursor, null, { requests: unsaved });
      return result;
    } catch (error) {
      this.logger.warn(`${resource} of ${repository.fullName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.states.fail(repository.id, resource, error, { requests: unsaved });
      throw error;
    }
  }

  /**
   * Stargazers with `starred_at`. GitHub lists them oldest first, so new stars land on the last
   * page and the first page's ETag says nothing about them; the cursor keeps the last page
   * instead (`tailPage`, its ETag in `sync_state.etag`, and the count of stars listed):
   * - normally the tail page is requested with `If-None-Match`: a 304 means no star was added or
   *   removed at or before it; a 200 is written and paging continues to the end;
   * - stars are a set, not a stream: when the list came out shorter than the stored count (an
   *   unstar shifted it), when the periodic re-list is due ({@link STAR_RELIST_INTERVAL_MS}), on
   *   `relistStars`, and on the first sync, every page is listed; stars stored but not listed are
   *   marked removed (`ActivityService.markRemoved`), listed ones marked removed come back, and
   *   `stargazers_count` minus the listed count is reported as `drift`.
   * A crash re-runs the pass from the stored tail (writes are idempotent); a re-list reconciles
   * only once every page was read.
   */
  private async syncStargazers(repository: RepositoryEntity, options: SyncRepositoryOptions): Promise<ResourceSyncResult> {
    const resource = 'stargazers' as const;
    const stored = await this.states.start(repository.id, resource);
    const cursor = readStarCursor(stored.cursor);
    const now = new Date();
    const result: ResourceSyncResult = { resource, requests: 0, notModified: false, pages: 0, items: 0, activitiesInserted: 0, resumed: false };
    let unsaved = 0;
    const listPages = async (fromPage: number, etag: string | null) => {
      const keys: string[] = [];
      let lastPage = fromPage;
      let lastCount = 0;
      let lastEtag: string | null = null;
      const notModified = await this.walk(
        () => this.github.request('GET /repos/{owner}/{repo}/stargazers', {
          owner: repository.owner, repo: repository.name, per_page: PER_PAGE, page: fromPage,
          headers: { accept: STAR_MEDIA_TYPE, ...(etag ? { 'if-none-match': etag } : {}) },
        }),
        { accept: STAR_MEDIA_TYPE },
        async (stars: RestStargazer[], response, page) => {
          unsaved += 1;
          result.requests += 1;
          result.pages += 1;
          result.items += stars.length;
          const activities = stars.map((star) => mapStargazer(star, repository.id));
          keys.push(...activities.map((activity) => activity.sourceKey));
          result.activitiesInserted += await this.writer.recordActivities(activities);
          lastPage = page ?? lastPage;
          lastCount = stars.length;
          lastEtag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
        },
        () => {
          unsaved += 1;
          result.requests += 1;
        },
      );
      return { notModified, keys, listed: (fromPage - 1) * PER_PAGE + keys.length, tail: starTailAfter(lastPage, lastCount, lastEtag, PER_PAGE) };
    };
    try {
      let relist =
        options.relistStars === true || !cursor.relistedAt || now.getTime() - Date.parse(cursor.relistedAt) >= STAR_RELIST_INTERVAL_MS;
      let next: StarCursor = cursor;
      let etag = stored.etag;
      if (!relist) {
        const tail = await listPages(cursor.tailPage, stored.etag);
        if (tail.notModified) {
          result.notModified = true;
          await this.states.complete(repository.id, resource, cursor, stored.etag, { requests: unsaved, notModified: 1 });
          return result;
        }
        if (tail.listed < cursor.count) relist = true; // a star before the tail went away
        else {
          next = { ...cursor, tailPage: tail.tail.page, count: tail.listed };
          etag = tail.tail.etag;
        }
      }
      if (relist) {
        const all = await listPages(1, null);
        result.relisted = true;
        result.removed = await this.writer.reconcileStars(repository.id, all.keys, now);
        result.drift = (repository.stargazersCount ?? all.listed) - all.listed;
        if (result.drift !== 0) {
          this.logger.warn(`${repository.fullName}: stargazers_count ${repository.stargazersCount} but ${all.listed} stars listed (drift ${result.drift})`);
        }
        next = { tailPage: all.tail.page, count: all.listed, relistedAt: now.toISOString(), drift: result.drift };
        etag = all.tail.etag;
      }
      await this.states.complete(repository.id, resource, next, etag, { requests: unsaved, items: result.items });
      await options.afterPage?.({ repositoryId: repository.id, resource, pages: result.pages });
      return result;
    } catch (error) {
      this.logger.warn(`${resource} of ${repository.fullName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.states.fail(repository.id, resource, error, { requests: unsaved });
      throw error;
    }
  }

  /**
   * Requests a first page then follows `Link: rel="next"` to the end, calling `onPage` with each
   * page's items, answer and page number (from the URL's `page`, when it has one). A 304 on the
   * first page calls `onNotModified` and returns true; other errors propagate.
   */
  private async walk<T>(
    first: () => Promise<ClientResponse>,
    headers: Record<string, string>,
    onPage: (items: T[], response: ClientResponse, page: number | null) => Promise<void>,
    onNotModified: () => void,
  ): Promise<boolean> {
    let response: ClientResponse;
    try {
      response = await first();
    } catch (error) {
      if (isNotModified(error)) {
        onNotModified();
        return true;
      }
      throw error;
    }
    let url: string | null = null;
    for (;;) {
      const items = (Array.isArray(response.data) ? response.data : []) as T[];
      await onPage(items, response, pageNumberOf(url, response));
      const nextLink = parseLinkHeader(String(response.headers.link ?? '')).next;
      if (!nextLink) return false;
      url = relativeToBase(nextLink, this.github.request.endpoint.DEFAULTS.baseUrl);
      response = await this.github.request(`GET ${url}`, { headers });
    }
  }

  /** Runs (or resumes) one pass over a newest-first listing; see the class comment. */
  private async syncListing<T>(
    repository: RepositoryEntity,
    plan: ListingPlan<T>,
    options: SyncRepositoryOptions,
  ): Promise<ResourceSyncResult> {
    const { resource } = plan;
    const stored = await this.states.start(repository.id, resource);
    let cursor: ListingCursor = readListingCursor(stored.cursor);
    const resumed = cursor.pass !== undefined;
    const result: ResourceSyncResult = { resource, requests: 0, notModified: false, pages: 0, items: 0, activitiesInserted: 0, resumed };
    let unsaved = 0; // requests not yet added to sync_state
    try {
      let next: string | null = cursor.pass?.next ?? null;
      let first = !resumed;
      while (first || next) {
        let response: ClientResponse;
        try {
          unsaved += 1;
          result.requests += 1;
          response = first
            ? await this.github.request(plan.route, {
                ...plan.params,
                headers: { ...plan.headers, ...(stored.etag ? { 'if-none-match': stored.etag } : {}) },
              })
            : await this.github.request(`GET ${next}`, { headers: { ...plan.headers } });
        } catch (error) {
          if (first && isNotModified(error)) {
            result.notModified = true;
            await this.states.complete(repository.id, resource, cursor, stored.etag, { requests: unsaved, notModified: 1 });
            return result;
          }
          if (plan.emptyStatuses?.includes(requestStatus(error) ?? 0)) {
            await this.states.complete(repository.id, resource, {}, null, { requests: unsaved });
            return result;
          }
          throw error;
        }
        const items = (Array.isArray(response.data) ? response.data : []) as T[];
        const nextLink = parseLinkHeader(String(response.headers.link ?? '')).next;
        result.activitiesInserted += await plan.write(items);
        const step = advanceListing(cursor, {
          first,
          instants: items.map((item) => plan.instantOf(item)).filter(Boolean),
          next: nextLink ? relativeToBase(nextLink, this.github.request.endpoint.DEFAULTS.baseUrl) : null,
          etag: typeof response.headers.etag === 'string' ? response.headers.etag : null,
        });
        cursor = step.cursor;
        result.pages += 1;
        result.items += items.length;
        if (step.done) {
          await this.states.complete(repository.id, resource, cursor, step.etag, { requests: unsaved, items: items.length });
          unsaved = 0;
          next = null;
        } else {
          await this.states.savePage(repository.id, resource, cursor, { requests: unsaved, items: items.length });
          unsaved = 0;
          next = cursor.pass!.next;
        }
        first = false;
        await options.afterPage?.({ repositoryId: repository.id, resource, pages: step.done ? result.pages : cursor.pass!.pages });
      }
      return result;
    } catch (error) {
      this.logger.warn(`${resource} of ${repository.fullName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.states.fail(repository.id, resource, error, { requests: unsaved });
      throw error;
    }
  }

  /** Writes commits: rows once per sha, the repository link, then author and co-author activities. */
  private async writeCommits(repositoryId: number, commits: RestCommit[]): Promise<number> {
    if (commits.length === 0) return 0;
    const mapped = commits.map((commit) => mapCommit(commit, repositoryId));
    const rows = mapped.map(({ row }) => row);
    await this.dataSource.query(
      `INSERT INTO git_commit (sha, repository_id, author_name, authored_at, committed_at, message_headline, co_authors, is_merge)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::jsonb[], $8::boolean[])
       ON CONFLICT (sha) DO NOTHING`,
      [
        rows.map((row) => row.sha),
        rows.map((row) => row.repositoryId),
        rows.map((row) => row.authorName),
        rows.map((row) => row.authoredAt.toISOString()),
        rows.map((row) => row.committedAt?.toISOString() ?? null),
        rows.map((row) => row.messageHeadline),
        rows.map((row) => JSON.stringify(row.coAuthors)),
        rows.map((row) => row.isMerge),
      ],
    );
    const shas = rows.map((row) => row.sha);
    await this.dataSource.query(
      `INSERT INTO git_commit_repository (sha, repository_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
      [shas, repositoryId],
    );
    const { inserted } = await this.activities.record(mapped.flatMap(({ activities }) => activities));
    // the author identity is known once the commit activity is recorded (whichever source did it)
    await this.dataSource.query(
      `UPDATE git_commit g SET author_identity_id = a.identity_id
       FROM activity a WHERE a.source_key = 'commit:' || g.sha AND g.sha = ANY($1::text[]) AND g.author_identity_id IS NULL`,
      [shas],
    );
    return inserted;
  }

  /**
   * Writes pull requests: activities first (they create the GitHub accounts), then the rows by
   * id; a row changes only when a field differs. Accounts not stored yet are left null.
   */
  private async writePullRequests(repositoryId: number, pulls: RestPullRequest[]): Promise<number> {
    if (pulls.length === 0) return 0;
    const mapped = pulls.map((pull) => mapPullRequest(pull, repositoryId));
    const { inserted } = await this.activities.record(mapped.flatMap(({ activities }) => activities));
    const rows = mapped.map(({ row }) => row);
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    await this.dataSource.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, merged_at,
         merged_by_account_id, head_sha, head_ref, base_ref, created_at, updated_at, closed_at)
       SELECT u.id, u.repository_id, u.number, u.title, u.state, author.id, u.merged, u.merged_at,
         merger.id, u.head_sha, u.head_ref, u.base_ref, u.created_at, u.updated_at, u.closed_at
       FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::boolean[],
         $8::timestamptz[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
         $15::timestamptz[])
         AS u(id, repository_id, number, title, state, author_account_id, merged, merged_at, merged_by_account_id,
              head_sha, head_ref, base_ref, created_at, updated_at, closed_at)
       LEFT JOIN github_account author ON author.id = u.author_account_id
       LEFT JOIN github_account merger ON merger.id = u.merged_by_account_id
       ON CONFLICT (id) DO UPDATE SET
         title = EXCLUDED.title, state = EXCLUDED.state,
         author_account_id = COALESCE(EXCLUDED.author_account_id, pull_request.author_account_id),
         merged = EXCLUDED.merged, merged_at = EXCLUDED.merged_at,
         merged_by_account_id = COALESCE(EXCLUDED.merged_by_account_id, pull_request.merged_by_account_id),
         head_sha = EXCLUDED.head_sha, head_ref = EXCLUDED.head_ref, base_ref = EXCLUDED.base_ref,
         updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at
       WHERE (pull_request.title, pull_request.state, pull_request.merged, pull_request.merged_at, pull_request.head_sha,
              pull_request.updated_at, pull_request.closed_at)
             IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.state, EXCLUDED.merged, EXCLUDED.merged_at, EXCLUDED.head_sha,
              EXCLUDED.updated_at, EXCLUDED.closed_at)
          OR (pull_request.author_account_id IS NULL AND EXCLUDED.author_account_id IS NOT NULL)
          OR (pull_request.merged_by_account_id IS NULL AND EXCLUDED.merged_by_account_id IS NOT NULL)`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.repositoryId),
        rows.map((row) => row.number),
        rows.map((row) => row.title),
        rows.map((row) => row.state),
        rows.map((row) => row.authorAccountId),
        rows.map((row) => row.merged),
        rows.map((row) => iso(row.mergedAt)),
        rows.map((row) => row.mergedByAccountId),
        rows.map((row) => row.headSha),
        rows.map((row) => row.headRef),
        rows.map((row) => row.baseRef),
        rows.map((row) => iso(row.createdAt)),
        rows.map((row) => iso(row.updatedAt)),
        rows.map((row) => iso(row.closedAt)),
      ],
    );
    return inserted;
  }
}

/** The review sync's cursor: the last pull request whose reviews were fetched (UTC instant, id). */
interface ReviewCursor {
  after?: { updatedAt: string; id: number };
}

function readReviewCursor(raw: unknown): { updatedAt: string; id: number } | null {
  const after = ((raw ?? {}) as ReviewCursor).after;
  if (!after || typeof after.updatedAt !== 'string' || Number.isNaN(Date.parse(after.updatedAt)) || typeof after.id !== 'number') return null;
  return { updatedAt: after.updatedAt, id: after.id };
}

/** The `page` query parameter of a followed URL; for the first request (no URL), 1 unless the caller asked otherwise. */
function pageNumberOf(url: string | null, response: ClientResponse): number | null {
  const source = url ?? response.url ?? null;
  if (!source) return null;
  const page = new URL(source, 'http://base.invalid').searchParams.get('page');
  return page ? Number(page) : 1;
}
