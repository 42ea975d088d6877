import { Injectable, Logger } from '@nestjs/common';
import { GithubClients } from '../client/github-clients.service.js';
import { isNotModified, requestStatus, type GithubClient } from '../client/github-client.js';
import { relativeToBase } from '../client/link-header.js';
import { GithubResponseError, nextPagePath, pageItems } from '../client/response-guard.js';
import type { RepositoryEntity } from '../entities/repository.entity.js';
import type { SyncResource } from '../entities/sync-state.entity.js';
import { advanceListing, readListingCursor, type ListingCursor } from './listing-cursor.js';
import { SyncStateStore } from './sync-state.store.js';
import type { ResourceSyncResult, SyncRepositoryOptions } from './sync.types.js';

/** GitHub's largest page (GitHub Docs, "Using pagination in the REST API"). */
export const PER_PAGE = 100;

/** An HTTP answer as the client returns it. */
export interface ClientResponse {
  data: unknown;
  headers: Record<string, string | number | undefined>;
  /** The URL requested (Octokit sets it). */
  url?: string;
}

/** How one newest-first listing is requested, ordered and written. */
export interface ListingPlan<T> {
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
  /**
   * Runs once the listing is up to date and recorded (after its last page, or its 304): pull
   * request details. It adds the requests it makes to `counters` as it goes (and to
   * `result.requests`); they are recorded with the resource's, even when it throws.
   */
  finish?(result: ResourceSyncResult, counters: { requests: number; notModified: number }): Promise<void>;
}

/**
 * Requests a first page then follows `Link: rel="next"` to the end, calling `onPage` with each
 * page's items, answer and page number (from the URL's `page`, when it has one). A 304 on the
 * first page calls `onNotModified` and returns true; other errors propagate, and so does a page
 * whose body is not a JSON array or whose next link leaves the API host (`GithubResponseError`,
 * before `onPage` sees it).
 */
export async function walkPages<T>(
  github: GithubClient,
  first: () => Promise<ClientResponse>,
  headers: Record<string, string>,
  onPage: (items: T[], response: ClientResponse, page: number | null) => Promise<void>,
  onNotModified: () => void,
  /** The first request's URL (`github.request.endpoint(route, params).url`), for messages and loop detection. */
  firstUrl?: string,
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
  const baseUrl = github.request.endpoint.DEFAULTS.baseUrl;
  const visited = new Set<string>();
  for (;;) {
    // a budget-wrapped answer has no url (a rebuilt Response): the first page is named by its request
    const path = url ?? (response.url || firstUrl || 'the first page');
    visited.add(relativeToBase(path, baseUrl));
    const items = pageItems<T>(response, path);
    const next = nextPagePath(response, baseUrl, path);
    if (next) refuseLoop(visited, next, path);
    await onPage(items, response, pageNumberOf(url, response));
    if (!next) return false;
    url = next;
    response = await github.request(`GET ${url}`, { headers });
  }
}

/**
 * Refuses a `Link: rel="next"` back to a page already read in this walk: followed, it would
 * request the same pages until the rate limit ran out.
 * @throws GithubResponseError naming both URLs.
 */
function refuseLoop(visited: Set<string>, next: string, path: string): void {
  if (visited.has(next)) throw new GithubResponseError(`GitHub answered ${path} with a next page already read (${next}); pagination loops, not followed`, path);
}

/** The `page` query parameter of a followed URL; for the first request (no URL), 1 unless the caller asked otherwise. */
function pageNumberOf(url: string | null, response: ClientResponse): number | null {
  const source = url ?? response.url ?? null;
  if (!source) return null;
  const page = new URL(source, 'http://base.invalid').searchParams.get('page');
  return page ? Number(page) : 1;
}

/**
 * Runs (or resumes) one pass over a newest-first listing:
 * - the first page is requested with `If-None-Match: <stored ETag>`; a 304 means nothing
 *   changed: it is counted and nothing is written (a 304 does not count against the primary
 *   rate limit; GitHub Docs, "Best practices for using the REST API");
 * - pages follow `Link: rel="next"`; after each page is written its cursor is committed, so a
 *   crash resumes at the next page; a pass stops at the watermark (see `listing-cursor.ts`).
 */
@Injectable()
export class ListingSync {
  private readonly logger = new Logger(ListingSync.name);

  constructor(
    private readonly clients: GithubClients,
    private readonly states: SyncStateStore,
  ) {}

  /** Syncs `plan` of `repository`; see the class comment. Errors are recorded on the resource and rethrown. */
  async run<T>(repository: RepositoryEntity, plan: ListingPlan<T>, options: SyncRepositoryOptions): Promise<ResourceSyncResult> {
    const { resource } = plan;
    const github = await this.clients.forEcosystem(repository.ecosystemId);
    const stored = await this.states.start(repository.id, resource);
    let cursor: ListingCursor = readListingCursor(stored.cursor);
    const resumed = cursor.pass !== undefined;
    const result: ResourceSyncResult = { resource, requests: 0, notModified: false, pages: 0, items: 0, activitiesInserted: 0, resumed };
    let unsaved = 0; // requests not yet added to sync_state
    const finish = async (): Promise<void> => {
      if (!plan.finish) return;
      const extra = { requests: 0, notModified: 0 };
      try {
        await plan.finish(result, extra);
      } finally {
        if (extra.requests) await this.states.count(stored, extra);
      }
    };
    try {
      let next: string | null = cursor.pass?.next ?? null;
      let first = !resumed;
      const visited = new Set<string>(); // pages of this run: a next link back to one would loop
      while (first || next) {
        let response: ClientResponse;
        try {
          unsaved += 1;
          result.requests += 1;
          response = first
            ? await github.request(plan.route, {
                ...plan.params,
                headers: { ...plan.headers, ...(stored.etag ? { 'if-none-match': stored.etag } : {}) },
              })
            : await github.request(`GET ${next}`, { headers: { ...plan.headers } });
        } catch (error) {
          if (first && isNotModified(error)) {
            result.notModified = true;
            await this.states.complete(stored, cursor, stored.etag, { requests: unsaved, notModified: 1 });
            unsaved = 0;
            await finish();
            return result;
          }
          if (plan.emptyStatuses?.includes(requestStatus(error) ?? 0)) {
            await this.states.complete(stored, {}, null, { requests: unsaved });
            return result;
          }
          throw error;
        }
        // a body that is not a JSON array, or a next link off the API host, fails the pass here:
        // nothing of the page is written and the cursor and ETag stay where they were
        const path = first ? response.url || github.request.endpoint(plan.route, plan.params).url : next!;
        visited.add(relativeToBase(path, github.request.endpoint.DEFAULTS.baseUrl));
        const items = pageItems<T>(response, path);
        const nextPath = nextPagePath(response, github.request.endpoint.DEFAULTS.baseUrl, path);
        if (nextPath) refuseLoop(visited, nextPath, path);
        result.activitiesInserted += await plan.write(items);
        const step = advanceListing(cursor, {
          first,
          instants: items.map((item) => plan.instantOf(item)).filter(Boolean),
          next: nextPath,
          etag: typeof response.headers.etag === 'string' ? response.headers.etag : null,
        });
        cursor = step.cursor;
        result.pages += 1;
        result.items += items.length;
        if (step.done) {
          await this.states.complete(stored, cursor, step.etag, { requests: unsaved, items: items.length });
          unsaved = 0;
          await finish();
          next = null;
        } else {
          await this.states.savePage(stored, cursor, { requests: unsaved, items: items.length });
          unsaved = 0;
          next = cursor.pass!.next;
        }
        first = false;
        await options.afterPage?.({ repositoryId: repository.id, resource, pages: step.done ? result.pages : cursor.pass!.pages });
      }
      return result;
    } catch (error) {
      this.logger.warn(`${resource} of ${repository.fullName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.states.fail(stored, error, { requests: unsaved });
      throw error;
    }
  }
}
