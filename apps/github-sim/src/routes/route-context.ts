import type { GithubRenderer } from '../render/github-renderer.js';
import type { UrlContext } from '../render/github-json.types.js';
import type { RepositoryData, Snapshot } from '../seed/snapshot.types.js';

/** What every route needs: the data, the renderer, and the URLs (apiUrl is known once the server listens). */
export interface SimRouteContext {
  snapshot: Snapshot;
  renderer: GithubRenderer;
  urls: UrlContext;
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
