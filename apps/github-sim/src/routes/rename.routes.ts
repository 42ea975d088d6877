import type { FastifyInstance } from 'fastify';
import { GithubRenderer } from '../render/github-renderer.js';
import { ResponseCache } from '../http/response-cache.js';
import type { SimRouteContext } from './route-context.js';
import { findRepository } from './route-context.js';

/**
 * Repository renames, as GitHub serves them (GitHub Docs, "Renaming a repository": "all
 * requests to the old URL are redirected"; the REST API answers `301 Moved Permanently` with a
 * `Location` under `/repositories/{id}`, which stays valid whatever the repository is called):
 * - `POST /_sim/repositories/rename {"repository": "owner/name", "name": "new-name"}` (admin) → 204,
 *   404 for an unknown repository, 422 for a name already taken; the id stays;
 * - a request to an old name under `/repos/{owner}/{name}` → 301 to `/repositories/{id}/…` (query kept);
 * - `/repositories/{id}/…` is served as `/repos/{owner}/{current name}/…` ({@link rewriteRepositoryIdUrl}).
 */
export class RepositoryRenames {
  /** Lower-cased old `owner/name` → repository id. */
  private readonly moved = new Map<string, number>();

  constructor(private readonly ctx: SimRouteContext) {}

  /** The `Location` of a request to a renamed repository's old name, or null. */
  redirectFor(url: string): string | null {
    const match = /^\/repos\/([^/?]+)\/([^/?]+)(.*)$/.exec(url);
    if (!match) return null;
    const key = `${match[1]}/${match[2]}`.toLowerCase();
    const id = this.moved.get(key);
    if (id === undefined || this.ctx.snapshot.byFullName.has(key)) return null;
    return `${this.ctx.urls.apiUrl}/repositories/${id}${match[3]}`;
  }

  /** Renames `fullName` to `name` under the same owner; false when unknown, a RangeError when taken. */
  rename(fullName: string, name: string): boolean {
    const [owner = '', repo = ''] = fullName.split('/');
    const data = findRepository(this.ctx, owner, repo);
    if (!data) return false;
    const target = `${data.repository.owner.login}/${name}`;
    if (!/^[A-Za-z0-9._-]+$/.test(name) || this.ctx.snapshot.byFullName.has(target.toLowerCase())) {
      throw new RangeError(`name ${name} is invalid or taken`);
    }
    this.ctx.snapshot.byFullName.delete(data.repository.fullName.toLowerCase());
    this.moved.set(data.repository.fullName.toLowerCase(), data.repository.id);
    data.repository.name = name;
    data.repository.fullName = target;
    this.ctx.snapshot.byFullName.set(target.toLowerCase(), data);
    // every serialised response and rendered repository may name the old one
    this.ctx.cache = new ResponseCache();
    this.ctx.renderer = new GithubRenderer(this.ctx.urls);
    return true;
  }
}

/** `/repositories/{id}/rest?query` → `/repos/{owner}/{name}/rest?query` for a known id; other URLs unchanged. */
export function rewriteRepositoryIdUrl(ctx: SimRouteContext, url: string): string {
  const match = /^\/repositories\/(\d+)(.*)$/.exec(url);
  if (!match) return url;
  const data = ctx.snapshot.repositories.find((repository) => repository.repository.id === Number(match[1]));
  return data ? `/repos/${data.repository.fullName}${match[2]}` : url;
}

/** Registers the admin rename route (see {@link RepositoryRenames}). */
export function registerRenameRoutes(app: FastifyInstance, renames: RepositoryRenames): void {
  app.post<{ Body: { repository?: string; name?: string } }>('/_sim/repositories/rename', async (request, reply) => {
    try {
      if (!renames.rename(request.body?.repository ?? '', request.body?.name ?? '')) return reply.code(404).send({ message: 'no such repository' });
    } catch (error) {
      return reply.code(422).send({ message: (error as Error).message });
    }
    return reply.code(204).send();
  });
}
