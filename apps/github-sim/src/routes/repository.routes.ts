import type { FastifyInstance } from 'fastify';
import { notFound } from '../http/github-errors.js';
import { compareBy, parseDirection } from '../http/list-params.js';
import { queryParam, sendError } from '../http/respond.js';
import type { RepositoryData } from '../seed/snapshot.types.js';
import { registerCommunityRoutes } from './community.routes.js';
import { findRepository, sendListPage, sendResource, type RepoParams, type SimRouteContext } from './route-context.js';

type RepoSort = 'created' | 'updated' | 'pushed' | 'full_name';

/**
 * Sorts repositories as GitHub's list endpoints do: by `sort` (created, updated, pushed, full_name); `direction`
 * defaults to asc for full_name and desc otherwise (GitHub Docs, "List organization repositories").
 */
export function sortRepositories(repos: readonly RepositoryData[], sortParam: string | undefined, directionParam: string | undefined, defaultSort: RepoSort): RepositoryData[] {
  const sort: RepoSort = sortParam === 'created' || sortParam === 'updated' || sortParam === 'pushed' || sortParam === 'full_name' ? sortParam : defaultSort;
  const direction = parseDirection(directionParam, sort === 'full_name' ? 'asc' : 'desc');
  if (sort === 'full_name') {
    const sign = direction === 'asc' ? 1 : -1;
    return [...repos].sort((a, b) => sign * a.repository.fullName.toLowerCase().localeCompare(b.repository.fullName.toLowerCase()));
  }
  const field = sort === 'created' ? 'createdAt' : sort === 'updated' ? 'updatedAt' : 'pushedAt';
  return [...repos].sort(compareBy((r) => Date.parse(r.repository[field]), (r) => r.repository.id, direction));
}

function ownedBy(ctx: SimRouteContext, login: string): RepositoryData[] {
  const lower = login.toLowerCase();
  return ctx.snapshot.repositories.filter((r) => r.repository.owner.login.toLowerCase() === lower);
}

/** `type` filters that keep every (public, non-fork) repository; `private` and `forks` match none in the sim. */
function typeKeepsAll(type: string | undefined): boolean {
  return type !== 'private' && type !== 'forks';
}

/**
 * GET /orgs/:org/repos (organisations only; a user login answers 404 as on GitHub), GET /users/:username/repos
 * (any known account, organisations included; default sort full_name), GET /repos/:owner/:repo, and the
 * repository's community endpoints (community.routes.ts: reviews, comments, stargazers, forks, releases, labels).
 */
export function registerRepositoryRoutes(app: FastifyInstance, ctx: SimRouteContext): void {
  app.get<{ Params: { org: string } }>('/orgs/:org/repos', async (request, reply) => {
    const owner = ctx.snapshot.owners.get(request.params.org.toLowerCase());
    if (!owner || owner.type !== 'Organization') return sendError(reply, 404, notFound('https://docs.github.com/rest/repos/repos#list-organization-repositories'));
    const repos = () => (typeKeepsAll(queryParam(request, 'type')) ? ownedBy(ctx, owner.login) : []);
    const sorted = () => sortRepositories(repos(), queryParam(request, 'sort'), queryParam(request, 'direction'), 'created');
    return sendListPage(ctx, request, reply, sorted, (r) => ctx.renderer.repository(r));
  });

  app.get<{ Params: { username: string } }>('/users/:username/repos', async (request, reply) => {
    const account = ctx.snapshot.accounts.find(request.params.username);
    if (!account) return sendError(reply, 404, notFound('https://docs.github.com/rest/repos/repos#list-repositories-for-a-user'));
    const repos = () => (queryParam(request, 'type') === 'member' ? [] : ownedBy(ctx, account.login));
    const sorted = () => sortRepositories(repos(), queryParam(request, 'sort'), queryParam(request, 'direction'), 'full_name');
    return sendListPage(ctx, request, reply, sorted, (r) => ctx.renderer.repository(r));
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound('https://docs.github.com/rest/repos/repos#get-a-repository'));
    return sendResource(ctx, request, reply, () => ctx.renderer.repository(data));
  });

  registerCommunityRoutes(app, ctx);
}
