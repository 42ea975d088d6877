import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GithubRenderer } from '../render/github-renderer.js';
import type { UrlContext } from '../render/github-json.types.js';
import { prepareJson, preparePage, sendCached } from '../http/respond.js';
import type { ResponseCache } from '../http/response-cache.js';
import type { RepositoryData, Snapshot } from '../seed/snapshot.types.js';

/** What every route needs: the data, the renderer, the URLs (apiUrl is known once the server listens), the cache. */
export interface SimRouteContext {
  snapshot: Snapshot;
  renderer: GithubRenderer;
  urls: UrlContext;
  cache: ResponseCache;
}

/** A repository by owner and name, case-insensitive like github.com; undefined when unknown. */
export function findRepository(ctx: SimRouteContext, owner: string, repo: string): RepositoryData | undefined {
  return ctx.snapshot.byFullName.get(`${owner}/${repo}`.toLowerCase());
}

/** Route params of `/repos/:owner/:repo/...`. */
export interface RepoParams {
  owner: string;
  repo: string;
}

/**
 * Sends one page of a snapshot list, cached by request URL: `items` (filtering and sorting) and `render` run only
 * on a cache miss. Validate parameters and answer errors before calling this.
 */
export function sendListPage<T>(ctx: SimRouteContext, request: FastifyRequest, reply: FastifyReply, items: () => readonly T[], render: (item: T) => unknown): FastifyReply {
  return sendCached(request, reply, ctx.cache, () => preparePage(request, items(), ctx.urls.apiUrl, render));
}

/** Sends one snapshot object, cached by request URL. */
export function sendResource(ctx: SimRouteContext, request: FastifyRequest, reply: FastifyReply, body: () => unknown): FastifyReply {
  return sendCached(request, reply, ctx.cache, () => prepareJson(body()));
}
