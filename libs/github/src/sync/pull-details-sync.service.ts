import { Injectable } from '@nestjs/common';
import { GithubClients } from '../client/github-clients.service.js';
import { isNotFound, isNotModified } from '../client/github-client.js';
import { answerObject } from '../client/response-guard.js';
import type { RepositoryEntity } from '../entities/repository.entity.js';
import { PullRequestWriter } from './pull-request-writer.service.js';
import type { RestPullRequest } from './rest-shapes.js';
import type { ResourceSyncResult } from './sync.types.js';

/**
 * Pull request details the list does not carry (`merged_by`; GitHub Docs, "List pull requests"
 * returns `pull-request-simple`, "Get a pull request" the full object). One `GET
 * /repos/{owner}/{repo}/pulls/{pull_number}` per merged pull request whose details are unknown
 * or whose `updated_at` moved since they were read — with the stored ETag, so an unchanged one
 * costs a 304 — and none for open or closed-unmerged ones, nor for one whose merger a webhook
 * delivered. After the first sync only pull
 * requests updated since cost a request, so an unchanged re-sync costs none. Each answer is
 * stored before the next request, so a crash resumes with the pull requests still pending.
 */
@Injectable()
export class PullDetailsSync {
  constructor(
    private readonly clients: GithubClients,
    private readonly writer: PullRequestWriter,
  ) {}

  /**
   * Fetches and stores the pending details of `repository`, adding each request to
   * `counters.requests` and `result.requests` (and each 304 to `counters.notModified`) as it is made.
   * @throws the request's error (after the client's retries) for answers other than 304 and 404.
   */
  async sync(
    repository: RepositoryEntity,
    result: Pick<ResourceSyncResult, 'requests'>,
    counters: { requests: number; notModified: number },
  ): Promise<void> {
    const github = await this.clients.forEcosystem(repository.ecosystemId);
    for (const pending of await this.writer.pendingDetails(repository.id)) {
      counters.requests += 1;
      result.requests += 1;
      try {
        const response = await github.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
          owner: repository.owner,
          repo: repository.name,
          pull_number: pending.number,
          headers: pending.etag ? { 'if-none-match': pending.etag } : {},
        });
        const etag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
        const path = `/repos/${repository.fullName}/pulls/${pending.number}`;
        await this.writer.writeDetails(repository.id, pending, answerObject<RestPullRequest>(response, path), etag);
      } catch (error) {
        if (isNotModified(error)) counters.notModified += 1;
        else if (!isNotFound(error)) throw error; // a pull request GitHub no longer has is not asked again
        await this.writer.detailsCurrent(pending);
      }
    }
  }
}
