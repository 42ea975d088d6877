import { Injectable, Logger } from '@nestjs/common';
import { GithubClients } from '../client/github-clients.service.js';
import { isNotFound } from '../client/github-client.js';
import type { RepositoryEntity } from '../entities/repository.entity.js';
import { PER_PAGE, walkPages } from './listing-sync.service.js';
import { mapReview } from './map-comment.js';
import { ResourceWriter } from './resource-writer.service.js';
import type { RestReview } from './rest-shapes.js';
import { SyncStateStore } from './sync-state.store.js';
import type { ResourceSyncResult, SyncRepositoryOptions } from './sync.types.js';

/** The review sync of one repository (see {@link ReviewSync.sync}). */
@Injectable()
export class ReviewSync {
  private readonly logger = new Logger(ReviewSync.name);

  constructor(
    private readonly clients: GithubClients,
    private readonly states: SyncStateStore,
    private readonly writer: ResourceWriter,
  ) {}

  /**
   * Reviews, one "List reviews for a pull request" walk per pull request whose `updated_at` moved
   * past the cursor — GitHub updates a pull request's `updated_at` when a review is submitted, and
   * the pull request sync (run just before) stored the new value. Pull requests are taken oldest
   * update first and the cursor `{after: {updatedAt, id}}` is saved after each one, so a crash
   * resumes at the next pull request and an unchanged re-sync makes no request. These lists have
   * no conditional first page: the endpoint is per pull request and a stored ETag per pull request
   * would buy nothing once the cursor filters unchanged ones out.
   * A pull request GitHub answers 404 for (removed since the pull request sync stored it) is
   * logged and passed: it has no reviews left to read, and failing on it would stop every later
   * pull request and resource of the repository at the same place on every run.
   */
  async sync(repository: RepositoryEntity, options: SyncRepositoryOptions): Promise<ResourceSyncResult> {
    const resource = 'reviews' as const;
    const github = await this.clients.forEcosystem(repository.ecosystemId);
    const stored = await this.states.start(repository.id, resource);
    const after = readReviewCursor(stored.cursor);
    const result: ResourceSyncResult = { resource, requests: 0, notModified: false, pages: 0, items: 0, activitiesInserted: 0, resumed: false };
    let unsaved = 0;
    let cursor: ReviewCursor = after ? { after } : {};
    try {
      for (const pull of await this.writer.pullRequestsUpdatedAfter(repository.id, after)) {
        let items = 0;
        const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews';
        const params = { owner: repository.owner, repo: repository.name, pull_number: pull.number, per_page: PER_PAGE };
        const walk = walkPages(
          github,
          () => github.request(route, params),
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
          github.request.endpoint(route, params).url,
        );
        try {
          await walk;
        } catch (error) {
          if (!isNotFound(error) || items > 0) throw error;
          unsaved += 1; // the 404 answer itself
          result.requests += 1;
          this.logger.warn(`${repository.fullName}#${pull.number}: GitHub answered 404 to its reviews (pull request removed): passed`);
        }
        result.items += items;
        cursor = { after: { updatedAt: pull.updatedAt, id: pull.id } };
        await this.states.savePage(stored, cursor, { requests: unsaved, items });
        unsaved = 0;
        await options.afterPage?.({ repositoryId: repository.id, resource, pages: result.pages });
      }
      await this.states.complete(stored, cursor, null, { requests: unsaved });
      return result;
    } catch (error) {
      this.logger.warn(`${resource} of ${repository.fullName} failed: ${error instanceof Error ? error.message : String(error)}`);
      await this.states.fail(stored, error, { requests: unsaved });
      throw error;
    }
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
