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
import { mapPullRequest } from './map-pull-request.js';
import type { RestCommit, RestPullRequest } from './rest-shapes.js';
import { SyncException, SyncExceptionCode } from './sync.exception.js';
import { SyncStateStore } from './sync-state.store.js';
import type { RepositorySyncResult, ResourceSyncResult, SyncRepositoryOptions } from './sync.types.js';

/** GitHub's largest page (GitHub Docs, "Using pagination in the REST API"). */
const PER_PAGE = 100;

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
}

/**
 * Syncs one repository's commits (default branch) and pull requests from GitHub's REST API
 * into `git_commit`, `pull_request` and activities, per resource from its `sync_state`:
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
  ) {}

  /**
   * Syncs commits then pull requests of the repository with GitHub id `repositoryId`.
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
      const [{ locked }]: Array<{ locked: boolean }> = await lock.query(
        `SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked`,
        [`sync-repository:${repositoryId}`],
      );
      if (!locked) {
        this.logger.log(`sync of ${repository.fullName} is running elsewhere: skipped`);
        return { repositoryId, fullName: repository.fullName, skipped: 'already-running', resources: [] };
      }
      try {
        const resources: ResourceSyncResult[] = [];
        if (repository.defaultBranch) resources.push(await this.syncListing(repository, this.commitsPlan(repository), options));
        resources.push(await this.syncListing(repository, this.pullsPlan(repository), options));
        return { repositoryId, fullName: repository.fullName, resources };
      } finally {
        await lock.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [`sync-repository:${repositoryId}`]);
      }
    } finally {
      await lock.release();
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
        let response: { data: unknown; headers: Record<string, string | number | undefined> };
        try {
          unsaved += 1;
          result.requests += 1;
          response = first
            ? await this.github.request(plan.route, {
                ...plan.params,
                headers: stored.etag ? { 'if-none-match': stored.etag } : {},
              })
            : await this.github.request(`GET ${next}`);
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
