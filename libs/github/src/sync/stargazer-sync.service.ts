import { Injectable, Logger } from '@nestjs/common';
import { GithubClients } from '../client/github-clients.service.js';
import type { RepositoryEntity } from '../entities/repository.entity.js';
import { PER_PAGE, walkPages } from './listing-sync.service.js';
import { mapStargazer } from './map-repository-events.js';
import { ResourceWriter } from './resource-writer.service.js';
import type { RestStargazer } from './rest-shapes.js';
import { readStarCursor, starTailAfter, type StarCursor } from './star-cursor.js';
import { SyncStateStore } from './sync-state.store.js';
import type { ResourceSyncResult, SyncRepositoryOptions } from './sync.types.js';

/**
 * The media type that makes "List stargazers" answer `{starred_at, user}` (GitHub Docs, "List
 * stargazers": "Starring" custom media type).
 */
const STAR_MEDIA_TYPE = 'application/vnd.github.star+json';

/** How often the stargazer set is re-listed in full to see unstars (24 h, in milliseconds). */
export const STAR_RELIST_INTERVAL_MS = 24 * 3_600_000;

/** The stargazer sync of one repository (see {@link StargazerSync.sync}). */
@Injectable()
export class StargazerSync {
  private readonly logger = new Logger(StargazerSync.name);

  constructor(
    private readonly clients: GithubClients,
    private readonly states: SyncStateStore,
    private readonly writer: ResourceWriter,
  ) {}

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
  async sync(repository: RepositoryEntity, options: SyncRepositoryOptions): Promise<ResourceSyncResult> {
    const resource = 'stargazers' as const;
    const github = await this.clients.forEcosystem(repository.ecosystemId);
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
      const route = 'GET /repos/{owner}/{repo}/stargazers';
      const params = { owner: repository.owner, repo: repository.name, per_page: PER_PAGE, page: fromPage };
      const notModified = await walkPages(
        github,
        () => github.request(route, { ...params, headers: { accept: STAR_MEDIA_TYPE, ...(etag ? { 'if-none-match': etag } : {}) } }),
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
        github.request.endpoint(route, params).url,
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
          await this.states.complete(stored, cursor, stored.etag, { requests: unsaved, notModified: 1 });
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
      await this.states.complete(stored, next, etag, { requests: unsaved, items: result.items });
      await options.afterPage?.({ repositoryId: repository.id, resource, pages: result.pages });
      return result;
    } catch (error) {
      this.logger.warn(`${resource} of ${repository.fullName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.states.fail(stored, error, { requests: unsaved });
      throw error;
    }
  }
}
