import type { FastifyInstance, FastifyRequest } from 'fastify';
import { githubError, notFound } from '../http/github-errors.js';
import { compareBy, parseDirection, parseTimestamp } from '../http/list-params.js';
import { preparePage, queryParam, sendError, sendPrepared } from '../http/respond.js';
import { ResponseCache } from '../http/response-cache.js';
import { GithubRenderer } from '../render/github-renderer.js';
import { renderFork, renderLabel, renderRelease, renderReview, renderReviewComment, renderStargazer } from '../render/render-community.js';
import type { IssueCommentRecord, RepositoryData, ReviewCommentRecord } from '../seed/snapshot.types.js';
import { findRepository, sendListPage, type RepoParams, type SimRouteContext } from './route-context.js';

const DOCS = 'https://docs.github.com/rest';

interface CommentView {
  id: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * Orders and filters a repository-wide comment list as GitHub's "List issue comments for a repository" and "List
 * review comments in a repository" do: `since` keeps comments updated at or after it; without `sort` the order is
 * ascending by id (creation) and `direction` is ignored; `sort` created|updated orders by that instant, `direction`
 * defaulting to desc (GitHub Docs: "direction: ... Ignored without the sort parameter").
 */
export function listRepositoryComments<T extends CommentView>(comments: readonly T[], query: { sort?: string; direction?: string; since?: number }): T[] {
  const kept = comments.filter((c) => query.since === undefined || Date.parse(c.updatedAt) >= query.since);
  const sort = query.sort === 'updated' ? 'updated' : query.sort === 'created' || query.sort === 'created_at' ? 'created' : undefined;
  if (!sort) return kept.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id - b.id);
  const direction = parseDirection(query.direction, 'desc');
  const key = sort === 'updated' ? (c: T) => Date.parse(c.updatedAt) : (c: T) => Date.parse(c.createdAt);
  return kept.sort(compareBy(key, (c) => c.id, direction));
}

/** GitHub's `sort` of List forks: newest (default), oldest, stargazers, watchers (the last two: newest here, all 0). */
export function sortForks<T extends { id: number; createdAt: string }>(forks: readonly T[], sort: string | undefined): T[] {
  const direction = sort === 'oldest' ? 'asc' : 'desc';
  return [...forks].sort(compareBy((f) => Date.parse(f.createdAt), (f) => f.id, direction));
}

/** True when the request asks for the star+json media type (`starred_at` with each stargazer). */
export function wantsStarTimestamps(accept: string | undefined): boolean {
  return /application\/vnd\.github(\.v3)?\.star\+json/i.test(accept ?? '');
}

function issueCommentsOf(data: RepositoryData): IssueCommentRecord[] {
  return data.issues.flatMap((issue) => issue.comments);
}

function sinceOrReject(request: FastifyRequest): number | undefined | null {
  return parseTimestamp(queryParam(request, 'since'));
}

/**
 * The GENERATED community endpoints (GitHub semantics: pagination with `Link`, ETag/304 and rate limits from the
 * server hooks):
 * - GET /repos/:owner/:repo/pulls/:number/reviews — chronological;
 * - GET /repos/:owner/:repo/pulls/comments and /issues/comments — repository-wide, `since`, `sort`, `direction`;
 * - GET /repos/:owner/:repo/stargazers — oldest first; `{starred_at, user}` with `Accept: application/vnd.github.star+json`;
 * - GET /repos/:owner/:repo/forks — `sort` newest (default) or oldest;
 * - GET /repos/:owner/:repo/releases — newest first; GET /repos/:owner/:repo/labels;
 * - POST /_sim/stargazers/remove `{repository: "owner/name", login}` (admin: an unstar) → 204, 404 when not starred.
 */
export function registerCommunityRoutes(app: FastifyInstance, ctx: SimRouteContext): void {
  app.get<{ Params: RepoParams & { number: string } }>('/repos/:owner/:repo/pulls/:number/reviews', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    const number = Number(request.params.number);
    if (!data || !data.pullByNumber.has(number)) return sendError(reply, 404, notFound(`${DOCS}/pulls/reviews#list-reviews-for-a-pull-request`));
    return sendListPage(ctx, request, reply, () => data.reviews.filter((r) => r.pullNumber === number), (r) => renderReview(r, data.repository, ctx.urls));
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/pulls/comments', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(`${DOCS}/pulls/comments#list-review-comments-in-a-repository`));
    const since = sinceOrReject(request);
    if (since === null) return sendError(reply, 422, githubError(422, 'Invalid time: since must be an ISO 8601 timestamp'));
    const comments = () =>
      listRepositoryComments<ReviewCommentRecord>(data.reviewComments, { sort: queryParam(request, 'sort'), direction: queryParam(request, 'direction'), since });
    return sendListPage(ctx, request, reply, comments, (c) => renderReviewComment(c, data.repository, ctx.urls));
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/issues/comments', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(`${DOCS}/issues/comments#list-issue-comments-for-a-repository`));
    const since = sinceOrReject(request);
    if (since === null) return sendError(reply, 422, githubError(422, 'Invalid time: since must be an ISO 8601 timestamp'));
    const comments = () => listRepositoryComments(issueCommentsOf(data), { sort: queryParam(request, 'sort'), direction: queryParam(request, 'direction'), since });
    return sendListPage(ctx, request, reply, comments, (c) => ctx.renderer.issueComment(c, data));
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/stargazers', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(`${DOCS}/activity/starring#list-stargazers`));
    const timestamps = wantsStarTimestamps(request.headers.accept);
    // the same URL answers two shapes: the cache key carries the media type
    const prepared = ctx.cache.getOrCreate(`${request.url}#${timestamps ? 'star' : 'user'}`, () =>
      preparePage(request, data.stargazers, ctx.urls.apiUrl, (star) => renderStargazer(star, timestamps, ctx.urls)),
    );
    return sendPrepared(request, reply, prepared);
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/forks', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(`${DOCS}/repos/forks#list-forks`));
    return sendListPage(ctx, request, reply, () => sortForks(data.forks, queryParam(request, 'sort')), (f) => renderFork(f, ctx.urls));
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/releases', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(`${DOCS}/releases/releases#list-releases`));
    return sendListPage(ctx, request, reply, () => data.releases, (r) => renderRelease(r, data.repository, ctx.urls));
  });

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/labels', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(`${DOCS}/issues/labels#list-labels-for-a-repository`));
    return sendListPage(ctx, request, reply, () => data.labels, (l) => renderLabel(l, data.repository, ctx.urls));
  });

  app.post<{ Body: { repository?: string; login?: string } }>('/_sim/stargazers/remove', async (request, reply) => {
    const [owner = '', repo = ''] = (request.body?.repository ?? '').split('/');
    const data = findRepository(ctx, owner, repo);
    const login = (request.body?.login ?? '').toLowerCase();
    const index = data?.stargazers.findIndex((s) => s.user.login.toLowerCase() === login) ?? -1;
    if (!data || index < 0) return reply.code(404).send({ message: 'no such star' });
    data.stargazers.splice(index, 1);
    // the data changed: every serialised response and rendered repository may be stale
    ctx.cache = new ResponseCache();
    ctx.renderer = new GithubRenderer(ctx.urls);
    return reply.code(204).send();
  });
}
