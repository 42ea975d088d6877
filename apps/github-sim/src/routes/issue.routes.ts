import type { FastifyInstance } from 'fastify';
import { githubError, notFound } from '../http/github-errors.js';
import { compareBy, parseDirection, parseState, parseTimestamp } from '../http/list-params.js';
import { queryParam, sendError } from '../http/respond.js';
import type { IssueRecord, PullRequestRecord, RepositoryData } from '../seed/snapshot.types.js';
import { findRepository, sendListPage, sendResource, type RepoParams, type SimRouteContext } from './route-context.js';

/** An entry of the issues API: a generated issue or a pull request (GitHub lists both). */
export type IssueEntry = { kind: 'issue'; issue: IssueRecord } | { kind: 'pull'; pull: PullRequestRecord };

interface EntryView {
  number: number;
  state: 'open' | 'closed';
  createdMs: number;
  updatedMs: number;
  comments: number;
  creator: string;
}

function view(entry: IssueEntry): EntryView {
  const r = entry.kind === 'issue' ? entry.issue : entry.pull;
  return {
    number: r.number,
    state: r.state,
    createdMs: Date.parse(r.createdAt),
    updatedMs: Date.parse(r.updatedAt),
    comments: entry.kind === 'issue' ? entry.issue.comments.length : 0,
    creator: r.user.login.toLowerCase(),
  };
}

/** Parsed query of List repository issues. */
export interface IssueListQuery {
  state?: string;
  since?: number;
  sort?: string;
  direction?: string;
  creator?: string;
  labels?: string;
  assignee?: string;
  milestone?: string;
}

/**
 * GitHub's List repository issues over issues and pull requests: `state` (default open), `since` (updated at or
 * after, epoch ms), `creator`, `labels` (comma-separated names, all required, case-insensitive; pull requests have
 * none), `sort` created|updated|comments (default created), `direction` (default desc). Nothing has assignees or
 * milestones: `assignee=none`/`milestone=none` keep everything, any other value keeps nothing.
 */
export function listIssues(data: RepositoryData, query: IssueListQuery): IssueEntry[] {
  const state = parseState(query.state);
  const labels = (query.labels ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean);
  if (query.assignee !== undefined && query.assignee !== 'none') return [];
  if (query.milestone !== undefined && query.milestone !== 'none') return [];
  const entries: Array<{ entry: IssueEntry; v: EntryView }> = [];
  const add = (entry: IssueEntry) => {
    const v = view(entry);
    if (state !== 'all' && v.state !== state) return;
    if (query.since !== undefined && v.updatedMs < query.since) return;
    if (query.creator !== undefined && v.creator !== query.creator.toLowerCase()) return;
    if (labels.length > 0) {
      const names = new Set(entry.kind === 'issue' ? entry.issue.labels.map((name) => name.toLowerCase()) : []);
      if (!labels.every((name) => names.has(name))) return;
    }
    entries.push({ entry, v });
  };
  for (const issue of data.issues) add({ kind: 'issue', issue });
  for (const pull of data.pulls) add({ kind: 'pull', pull });
  const sort = query.sort === 'updated' || query.sort === 'comments' ? query.sort : 'created';
  const direction = parseDirection(query.direction, 'desc');
  const key = sort === 'updated' ? (e: { v: EntryView }) => e.v.updatedMs : sort === 'comments' ? (e: { v: EntryView }) => e.v.comments : (e: { v: EntryView }) => e.v.createdMs;
  return entries.sort(compareBy(key, (e) => e.v.number, direction)).map((e) => e.entry);
}

/**
 * GET /repos/:owner/:repo/issues (issues and pull requests, pull requests with a `pull_request` key),
 * GET /repos/:owner/:repo/issues/:number, GET /repos/:owner/:repo/issues/:number/comments.
 */
export function registerIssueRoutes(app: FastifyInstance, ctx: SimRouteContext): void {
  const render = (entry: IssueEntry, data: RepositoryData) =>
    entry.kind === 'issue' ? ctx.renderer.issue(entry.issue, data) : ctx.renderer.pullRequestAsIssue(entry.pull, data);

  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/issues', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound('https://docs.github.com/rest/issues/issues#list-repository-issues'));
    const since = parseTimestamp(queryParam(request, 'since'));
    if (since === null) return sendError(reply, 422, githubError(422, 'Invalid time: since must be an ISO 8601 timestamp'));
    const entries = () => listIssues(data, {
      state: queryParam(request, 'state'),
      since,
      sort: queryParam(request, 'sort'),
      direction: queryParam(request, 'direction'),
      creator: queryParam(request, 'creator'),
      labels: queryParam(request, 'labels'),
      assignee: queryParam(request, 'assignee'),
      milestone: queryParam(request, 'milestone'),
    });
    return sendListPage(ctx, request, reply, entries, (e) => render(e, data));
  });

  app.get<{ Params: RepoParams & { number: string } }>('/repos/:owner/:repo/issues/:number', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    const number = Number(request.params.number);
    const issue = data?.issueByNumber.get(number);
    const pull = data?.pullByNumber.get(number);
    if (!data || (!issue && !pull)) return sendError(reply, 404, notFound('https://docs.github.com/rest/issues/issues#get-an-issue'));
    return sendResource(ctx, request, reply, () => (issue ? ctx.renderer.issue(issue, data) : ctx.renderer.pullRequestAsIssue(pull!, data)));
  });

  app.get<{ Params: RepoParams & { number: string } }>('/repos/:owner/:repo/issues/:number/comments', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    const number = Number(request.params.number);
    const issue = data?.issueByNumber.get(number);
    if (!data || (!issue && !data.pullByNumber.has(number))) return sendError(reply, 404, notFound('https://docs.github.com/rest/issues/comments#list-issue-comments'));
    const since = parseTimestamp(queryParam(request, 'since'));
    if (since === null) return sendError(reply, 422, githubError(422, 'Invalid time: since must be an ISO 8601 timestamp'));
    const comments = () => (issue?.comments ?? []).filter((c) => since === undefined || Date.parse(c.updatedAt) >= since);
    return sendListPage(ctx, request, reply, comments, (c) => ctx.renderer.issueComment(c, data));
  });
}
