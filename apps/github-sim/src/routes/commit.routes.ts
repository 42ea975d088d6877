import type { FastifyInstance } from 'fastify';
import { DocsUrl, githubError, notFound } from '../http/github-errors.js';
import { parseTimestamp } from '../http/list-params.js';
import { queryParam, sendError } from '../http/respond.js';
import type { CommitRecord, RepositoryData } from '../seed/snapshot.types.js';
import { findRepository, sendListPage, sendResource, type RepoParams, type SimRouteContext } from './route-context.js';

const HEX_PREFIX = /^[0-9a-f]{4,40}$/i;

/**
 * Resolves a ref as GitHub's commit endpoints accept it: the default branch name (also `refs/heads/<name>`), a tag
 * name (also `refs/tags/<name>`), or a full or abbreviated (≥ 4 hex digits, unique) SHA. Other branches are not
 * in the export. Returns the commit, or null.
 */
export function resolveRef(data: RepositoryData, ref: string): CommitRecord | null {
  const branch = ref.replace(/^refs\/heads\//, '');
  if (branch === data.repository.defaultBranch) return data.commitBySha.get(data.repository.headSha) ?? data.defaultBranchCommits[0] ?? null;
  const tagName = ref.replace(/^refs\/tags\//, '');
  const tag = data.tags.find((t) => t.name === tagName);
  if (tag) return data.commitBySha.get(tag.commitSha) ?? null;
  if (!HEX_PREFIX.test(ref)) return null;
  const lower = ref.toLowerCase();
  const exact = data.commitBySha.get(lower);
  if (exact) return exact;
  let found: CommitRecord | null = null;
  for (const commit of data.commits) {
    if (!commit.sha.startsWith(lower)) continue;
    if (found) return null; // ambiguous
    found = commit;
  }
  return found;
}

/** Every commit reachable from `start` through parents held in the export, in export order (newest first). */
export function ancestorsOf(data: RepositoryData, start: CommitRecord): CommitRecord[] {
  if (start.onDefaultBranch && start.sha === data.defaultBranchCommits[0]?.sha) return data.defaultBranchCommits;
  const seen = new Set<string>([start.sha]);
  const stack = [start.sha];
  while (stack.length > 0) {
    const commit = data.commitBySha.get(stack.pop()!);
    if (!commit) continue;
    for (const parent of commit.parents) {
      if (!seen.has(parent) && data.commitBySha.has(parent)) {
        seen.add(parent);
        stack.push(parent);
      }
    }
  }
  return data.commits.filter((c) => seen.has(c.sha));
}

function matchesPerson(filter: string | undefined, login: string | undefined, email: string): boolean {
  if (filter === undefined || filter === '') return true;
  const f = filter.toLowerCase();
  return login?.toLowerCase() === f || email.toLowerCase() === f;
}

/**
 * GET /repos/:owner/:repo/commits — GitHub's List commits: `sha` (branch, tag or SHA; default the default branch),
 * `author`/`committer` (login or e-mail), `since`/`until` (ISO 8601, on the committer date, inclusive), paginated.
 * `path` is accepted and ignored (the export has no file lists).
 * GET /repos/:owner/:repo/commits/:ref — Get a commit; 422 "No commit found for SHA" for an unknown ref, as GitHub.
 */
export function registerCommitRoutes(app: FastifyInstance, ctx: SimRouteContext): void {
  app.get<{ Params: RepoParams }>('/repos/:owner/:repo/commits', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(DocsUrl.listCommits));
    const sha = queryParam(request, 'sha');
    const start = sha !== undefined && sha !== '' && sha !== data.repository.defaultBranch ? resolveRef(data, sha) : undefined;
    if (start === null) return sendError(reply, 404, githubError(404, `No commit found for SHA: ${sha}`, DocsUrl.listCommits));
    const since = parseTimestamp(queryParam(request, 'since'));
    const until = parseTimestamp(queryParam(request, 'until'));
    if (since === null || until === null) return sendError(reply, 422, githubError(422, 'Invalid time: since and until must be ISO 8601 timestamps', DocsUrl.listCommits));
    const author = queryParam(request, 'author');
    const committer = queryParam(request, 'committer');
    const commits = () => {
      const reachable = start === undefined ? data.defaultBranchCommits : ancestorsOf(data, start);
      if (since === undefined && until === undefined && !author && !committer) return reachable;
      return reachable.filter(
        (c) =>
          (since === undefined || c.committedAtMs >= since) &&
          (until === undefined || c.committedAtMs <= until) &&
          matchesPerson(author, c.authorAccount?.login, c.author.email) &&
          matchesPerson(committer, c.committerAccount?.login, c.committer.email),
      );
    };
    return sendListPage(ctx, request, reply, commits, (c) => ctx.renderer.commit(c, data));
  });

  app.get<{ Params: RepoParams & { ref: string } }>('/repos/:owner/:repo/commits/:ref', async (request, reply) => {
    const data = findRepository(ctx, request.params.owner, request.params.repo);
    if (!data) return sendError(reply, 404, notFound(DocsUrl.getCommit));
    const commit = resolveRef(data, request.params.ref);
    if (!commit) return sendError(reply, 422, githubError(422, `No commit found for SHA: ${request.params.ref}`, DocsUrl.getCommit));
    return sendResource(ctx, request, reply, () => ctx.renderer.commit(commit, data));
  });
}
