import type { FastifyInstance } from 'fastify';
import { notFound } from '../http/github-errors.js';
import { compareBy, parseDirection, parseState } from '../http/list-params.js';
import { queryParam, sendError } from '../http/respond.js';
import type { PullRequestRecord } from '../seed/snapshot.types.js';
import { findRepository, sendListPage, sendResource, type RepoParams, type SimRouteContext } from './route-context.js';

/** Raw query of List pull requests. */
export interface PullListQuery {
  state?: string;
  head?: string;
  base?: string;
  sort?: string;
  direction?: string;
}

/**
 * Filters and sorts pull requests as GitHub's List pull requests does: `state` open|closed|all (default open),
 * `head` as `user:ref` (or `user`), `base` branch name, `sort` created|updated|popularity|long-running (default
 * created; popularity and long-running have no data and fall back to created), `direction` default desc when
 * sort is created or absent, else asc (GitHub Docs, "List pull requests"). Ties break on number.
 */
export function listPullRequests(pulls: readonly PullRequestRecord[], query: PullListQuery): PullRequestRecord[] {
  const state = parseState(query.state);
  const [headUser, headRef] = query.head ? (query.head.includes(':') ? query.head.split(':', 2) : [query.head, undefined]) : [undefined, undefined];
  const filtered = pulls.filter(
    (p) =>
      (state === 'all' || p.state === state) &&
      (headUser === undefined || p.head.owner.login.toLowerCase() === headUser.toLowerCase()) &&
      (headRef === undefined || p.head.ref === headRef) &&
      (query.base === undefined || p.base.ref === query.base),
  );
  const sort = query.sort === 'updated' ? 'updated' : 'created';
  const direction = parseDirection(query.direction, query.sort === undefined || query.sort === 'created' ? 'desc' : 'asc');
  const key = sort === 'updated' ? (p: PullRequestRecord) => Date.parse(p.updatedAt) : (p: PullRequestRecord) => Date.parse(p.createdAt);
  return filtered.sort(compareBy(key, (p) => p.number, direction));
}

/** GET /repos/:owner/:repo/pulls and GET /repos/:owner/:repo/pulls/:pull_number. */
export function registerPullRequestRoutes(app: FastifyInstance, ctx: SimRouteContext): void {
  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/pulls', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound('https://docs.github.com/rest/pulls/pulls#list-pull-requests'));
    const pulls = () => listPullRequests(data.pulls, {
      state: queryParam(request, 'state'),
      head: queryParam(request, 'head'),
      base: queryParam(request, 'base'),
      sort: queryParam(request, 'sort'),
      direction: queryParam(request, 'direction'),
    });
    return sendListPage(ctx, request, reply, pulls, (p) => ctx.renderer.pullRequestSimple(p, data));
  });

  app.get<{ Params: RepoParams & { number: string } }>('/repos/:owner/:repo/pulls/:number', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    const pr = data?.pullByNumber.get(Number(request.params.number));
    if (!data || !pr) return sendError(reply, 404, notFound('https://docs.github.com/rest/pulls/pulls#get-a-pull-request'));
    return sendResource(ctx, request, reply, () => ctx.renderer.pullRequest(pr, data));
  });
}
