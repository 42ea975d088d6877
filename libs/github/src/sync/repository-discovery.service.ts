import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { GithubClients } from '../client/github-clients.service.js';
import { isNotFound, isNotModified, type GithubClient } from '../client/github-client.js';
import { GithubResponseError, answerObject, nextPagePath, pageItems } from '../client/response-guard.js';
import { TrackedSourceEntity } from '../entities/tracked-source.entity.js';
import { mapRepository, type RepositoryRow } from './map-repository.js';
import { lastPerKey } from './distinct-items.js';
import { SyncHealthCache } from './sync-health-cache.js';
import { sameJson } from './sync-state.store.js';
import type { RestRepository } from './rest-shapes.js';
import { SYNCED_REPOSITORY_IDS_SQL } from './synced-repositories.js';
import { INCOMING_STATE_IS_CURRENT, OBSERVATION_INSTANT_ADVANCES, SET_STATE_OBSERVED_AT, setWhenCurrent } from '../repository-state-sql.js';

/** Discovery state of one tracked source (`tracked_source.discovery`). */
interface DiscoveryState {
  /** The listing path that answered (an "organization" that is a user lists through /users). */
  path?: string;
  /** URL (relative to the API base) and ETag of each page of the last listing. */
  pages?: Array<{ url: string; etag: string | null }>;
  requests?: number;
  notModified?: number;
  lastError?: string | null;
  discoveredAt?: string;
}

/** What discovery found for one source. */
export interface SourceDiscoveryResult {
  kind: TrackedSourceEntity['kind'];
  name: string;
  requests: number;
  notModified: number;
  /** Repositories on pages that answered 200 (304 pages are unchanged and not re-read). */
  repositoriesSeen: number;
  error: string | null;
}

/** What `RepositoryDiscoveryService.discover` did. */
export interface DiscoveryResult {
  ecosystemId: number;
  sources: SourceDiscoveryResult[];
  /** Repositories the ecosystem syncs after this discovery (GitHub ids), by full name. */
  repositoryIds: number[];
  requests: number;
  notModified: number;
}

const PER_PAGE = 100;

/**
 * Lists the repositories of an ecosystem's tracked sources and upserts them by GitHub's
 * numeric id (owner and name follow renames and transfers):
 * organisations through `GET /orgs/{org}/repos`, falling back to `GET /users/{user}/repos`
 * when the login is a user (404); users through `GET /users/{user}/repos`; single
 * repositories through `GET /repos/{owner}/{repo}`. Every page is re-requested with its stored
 * ETag, so an unchanged listing costs only 304s. A source that fails (404, an error) is
 * recorded on the source and does not stop the others. Paused sources are skipped.
 */
@Injectable()
export class RepositoryDiscoveryService {
  private readonly logger = new Logger(RepositoryDiscoveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: GithubClients,
    private readonly cache: SyncHealthCache,
  ) {}

  /** Discovers every source of the ecosystem; returns the repositories it syncs. */
  async discover(ecosystemId: number): Promise<DiscoveryResult> {
    const sources = await this.dataSource
      .getRepository(TrackedSourceEntity)
      .find({ where: { ecosystemId, paused: false }, order: { id: 'ASC' } });
    const results: SourceDiscoveryResult[] = [];
    const github = sources.length ? await this.clients.forEcosystem(ecosystemId) : null;
    for (const source of sources) results.push(await this.discoverSource(github!, ecosystemId, source));
    const repositories: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM repository WHERE id IN (${SYNCED_REPOSITORY_IDS_SQL}) ORDER BY lower(full_name)`,
      [ecosystemId],
    );
    return {
      ecosystemId,
      sources: results,
      repositoryIds: repositories.map((row) => Number(row.id)),
      requests: results.reduce((sum, result) => sum + result.requests, 0),
      notModified: results.reduce((sum, result) => sum + result.notModified, 0),
    };
  }

  private async discoverSource(github: GithubClient, ecosystemId: number, source: TrackedSourceEntity): Promise<SourceDiscoveryResult> {
    const [row]: Array<{ discovery: DiscoveryState }> = await this.dataSource.query(
      `SELECT discovery FROM tracked_source WHERE id = $1`,
      [source.id],
    );
    const state: DiscoveryState = row?.discovery ?? {};
    const result: SourceDiscoveryResult = {
      kind: source.kind,
      name: source.name,
      requests: 0,
      notModified: 0,
      repositoriesSeen: 0,
      error: null,
    };
    let pages = state.pages ?? [];
    let path = state.path;
    try {
      if (source.kind === 'repository') {
        path = `/repos/${source.name}`;
        pages = await this.listPages(github, ecosystemId, source, path, pages, result, false);
      } else {
        path ??= source.kind === 'organization' ? `/orgs/${source.name}/repos` : `/users/${source.name}/repos`;
        try {
          pages = await this.listPages(github, ecosystemId, source, path, path === state.path ? pages : [], result, true);
        } catch (error) {
          if (!isNotFound(error) || !path.startsWith('/orgs/')) throw error;
          // the "organization" is a user account: GitHub answers 404 on /orgs/{login}/repos
          path = `/users/${source.name}/repos`;
          pages = await this.listPages(github, ecosystemId, source, path, [], result, true);
        }
      }
    } catch (error) {
      result.error = error instanceof Error ? error.message : String(error);
      this.logger.warn(`discovery of ${source.kind} ${source.name} failed: ${result.error}`);
    }
    await this.saveState(source.id, state, {
      path,
      pages: result.error ? (state.pages ?? []) : pages,
      lastError: result.error,
      result,
    });
    return result;
  }

  /**
   * Stores a discovery's outcome. When path, pages (URLs and ETags) and error are what
   * `tracked_source.discovery` already holds — every page answered 304 — only Redis is written
   * (counters and the instant; see `SyncHealthCache`), so an unchanged discovery writes no row.
   * Otherwise the row is written, with the counters Redis held folded in.
   */
  private async saveState(
    sourceId: number,
    state: DiscoveryState,
    outcome: { path: string | undefined; pages: DiscoveryState['pages']; lastError: string | null; result: SourceDiscoveryResult },
  ): Promise<void> {
    const now = new Date();
    const counters = { requests: outcome.result.requests, notModified: outcome.result.notModified };
    const unchanged =
      outcome.lastError === null && (state.lastError ?? null) === null && state.path === outcome.path && sameJson(state.pages ?? [], outcome.pages ?? []);
    if (unchanged) {
      try {
        await this.cache.sourceDiscovered(sourceId, counters, now);
        return;
      } catch (error) {
        this.logger.warn(`discovery health of source ${sourceId} not recorded in Redis: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const held = await this.cache.takeSourceCounters(sourceId).catch(() => ({ requests: 0, notModified: 0 }));
    const next: DiscoveryState = {
      path: outcome.path,
      pages: outcome.pages,
      requests: (state.requests ?? 0) + counters.requests + held.requests,
      notModified: (state.notModified ?? 0) + counters.notModified + held.notModified,
      lastError: outcome.lastError,
      discoveredAt: outcome.lastError ? state.discoveredAt : now.toISOString(),
    };
    await this.dataSource.query(`UPDATE tracked_source SET discovery = $2 WHERE id = $1`, [sourceId, JSON.stringify(next)]);
  }

  /**
   * Requests each page with its stored ETag (the first from `path`, the next ones from
   * `Link: rel="next"` or, after a 304, from the stored page list) and upserts the
   * repositories of pages that changed. Returns the pages to store.
   */
  private async listPages(
    github: GithubClient,
    ecosystemId: number,
    source: TrackedSourceEntity,
    path: string,
    stored: Array<{ url: string; etag: string | null }>,
    result: SourceDiscoveryResult,
    isList: boolean,
  ): Promise<Array<{ url: string; etag: string | null }>> {
    const pages: Array<{ url: string; etag: string | null }> = [];
    let next: string | null = isList ? `${path}?per_page=${PER_PAGE}` : path;
    for (let index = 0; next !== null; index += 1) {
      const url: string = next;
      const etag = stored[index]?.url === url ? stored[index].etag : null;
      result.requests += 1;
      let response: { data: unknown; headers: Record<string, string | number | undefined> };
      const askedAt = new Date();
      try {
        response = await github.request(`GET ${url}`, { headers: etag ? { 'if-none-match': etag } : {} });
      } catch (error) {
        if (!isNotModified(error)) throw error;
        result.notModified += 1;
        pages.push({ url, etag });
        next = stored[index + 1]?.url ?? null;
        continue;
      }
      // a body that is not the documented JSON, or a next link off the API host, fails the source
      // (its stored pages and ETags are kept, so the next discovery asks again)
      const repositories = isList ? pageItems<RestRepository>(response, url) : [answerObject<RestRepository>(response, url)];
      const link = isList ? nextPagePath(response, github.request.endpoint.DEFAULTS.baseUrl, url) : null;
      await this.upsert(ecosystemId, source.id, lastPerKey(repositories.map(mapRepository), (row) => row.id), askedAt);
      result.repositoriesSeen += repositories.length;
      pages.push({ url, etag: typeof response.headers.etag === 'string' ? response.headers.etag : null });
      if (link && pages.some((page) => page.url === link)) {
        throw new GithubResponseError(`GitHub answered ${url} with a next page already read (${link}); pagination loops, not followed`, url);
      }
      next = link;
    }
    return pages;
  }

  /**
   * Upserts repositories by id as GitHub answered at `askedAt` (UTC; state observed earlier by a
   * delivery or another sync is replaced, newer state is kept: `repository-state-sql.ts`) and links
   * them to the source that found them.
   */
  private async upsert(ecosystemId: number, sourceId: number, rows: RepositoryRow[], askedAt: Date): Promise<void> {
    if (rows.length === 0) return;
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    await this.dataSource.query(
      `INSERT INTO repository (id, ecosystem_id, owner, name, full_name, default_branch, is_fork, is_archived,
         stargazers_count, forks_count, created_at, pushed_at, topics, state_observed_at)
       SELECT u.id, $1, u.owner, u.name, u.full_name, u.default_branch, u.is_fork, u.is_archived,
         u.stargazers_count, u.forks_count, u.created_at, u.pushed_at,
         CASE WHEN u.topics IS NOT NULL THEN ARRAY(SELECT jsonb_array_elements_text(u.topics)) END, $14
       FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::boolean[],
         $9::int[], $10::int[], $11::timestamptz[], $12::timestamptz[], $13::jsonb[])
         AS u(id, owner, name, full_name, default_branch, is_fork, is_archived, stargazers_count, forks_count,
              created_at, pushed_at, topics)
       ON CONFLICT (id) DO UPDATE SET
         ecosystem_id = COALESCE(repository.ecosystem_id, EXCLUDED.ecosystem_id),
         ${setWhenCurrent('owner', 'EXCLUDED.owner')}, ${setWhenCurrent('name', 'EXCLUDED.name')},
         ${setWhenCurrent('full_name', 'EXCLUDED.full_name')}, ${setWhenCurrent('default_branch', 'EXCLUDED.default_branch')},
         ${setWhenCurrent('is_fork', 'EXCLUDED.is_fork')}, ${setWhenCurrent('is_archived', 'EXCLUDED.is_archived')},
         ${setWhenCurrent('stargazers_count', 'EXCLUDED.stargazers_count')}, ${setWhenCurrent('forks_count', 'EXCLUDED.forks_count')},
         ${setWhenCurrent('created_at', 'EXCLUDED.created_at')}, ${setWhenCurrent('pushed_at', 'EXCLUDED.pushed_at')},
         ${setWhenCurrent('topics', 'COALESCE(EXCLUDED.topics, repository.topics)')},
         ${SET_STATE_OBSERVED_AT}, updated_at = now()
       WHERE (${INCOMING_STATE_IS_CURRENT}
              AND (repository.owner, repository.name, repository.full_name, repository.default_branch, repository.is_fork,
                   repository.is_archived, repository.stargazers_count, repository.forks_count, repository.created_at,
                   repository.pushed_at, repository.topics)
              IS DISTINCT FROM (EXCLUDED.owner, EXCLUDED.name, EXCLUDED.full_name, EXCLUDED.default_branch, EXCLUDED.is_fork,
                   EXCLUDED.is_archived, EXCLUDED.stargazers_count, EXCLUDED.forks_count, EXCLUDED.created_at,
                   EXCLUDED.pushed_at, COALESCE(EXCLUDED.topics, repository.topics)))
          OR (repository.ecosystem_id IS NULL AND EXCLUDED.ecosystem_id IS NOT NULL)
          OR ${OBSERVATION_INSTANT_ADVANCES}`,
      [
        ecosystemId,
        rows.map((row) => row.id),
        rows.map((row) => row.owner),
        rows.map((row) => row.name),
        rows.map((row) => row.fullName),
        rows.map((row) => row.defaultBranch),
        rows.map((row) => row.isFork),
        rows.map((row) => row.isArchived),
        rows.map((row) => row.stargazersCount),
        rows.map((row) => row.forksCount),
        rows.map((row) => iso(row.createdAt)),
        rows.map((row) => iso(row.pushedAt)),
        rows.map((row) => (row.topics === null ? null : JSON.stringify(row.topics))),
        askedAt,
      ],
    );
    await this.dataSource.query(
      `INSERT INTO tracked_source_repository (tracked_source_id, repository_id) SELECT $1, unnest($2::bigint[])
       ON CONFLICT DO NOTHING`,
      [sourceId, rows.map((row) => row.id)],
    );
  }
}
