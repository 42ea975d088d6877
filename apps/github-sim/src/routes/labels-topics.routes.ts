import type { FastifyInstance } from 'fastify';
import { GithubRenderer } from '../render/github-renderer.js';
import { ResponseCache } from '../http/response-cache.js';
import type { SimRouteContext } from './route-context.js';
import { findRepository } from './route-context.js';

const isNameList = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '');

/**
 * Admin routes (not GitHub) that change what the export does not hold, as a maintainer would on
 * github.com after the fact (case H1 in ../shared/cases/hackathons.md):
 * - `POST /_sim/repositories/topics {"repository": "owner/name", "topics": ["hacktoberfest"]}` → 204;
 *   the repository object (listings, "Get a repository", webhook payloads) carries them;
 * - `POST /_sim/pulls/labels {"repository": "owner/name", "number": 5, "labels": ["spam"]}` → 204; the
 *   pull request's labels are replaced and its `updated_at` moves to now (GitHub updates it on a label
 *   change), so a listing sorted by `updated` brings it back.
 * 404 for an unknown repository or pull request, 422 for a malformed body.
 */
export function registerLabelTopicRoutes(app: FastifyInstance, ctx: SimRouteContext, now: () => number): void {
  const changed = () => {
    // every serialised response and rendered object may hold the old values
    ctx.cache = new ResponseCache();
    ctx.renderer = new GithubRenderer(ctx.urls);
  };
  app.post<{ Body: { repository?: string; topics?: unknown } }>('/_sim/repositories/topics', async (request, reply) => {
    const [owner = '', repo = ''] = (request.body?.repository ?? '').split('/');
    const data = findRepository(ctx, owner, repo);
    if (!data) return reply.code(404).send({ message: 'no such repository' });
    if (!isNameList(request.body?.topics)) return reply.code(422).send({ message: 'topics must be a list of names' });
    data.repository.topics = request.body.topics.map((topic) => topic.toLowerCase());
    changed();
    return reply.code(204).send();
  });
  app.post<{ Body: { repository?: string; number?: unknown; labels?: unknown } }>('/_sim/pulls/labels', async (request, reply) => {
    const [owner = '', repo = ''] = (request.body?.repository ?? '').split('/');
    const data = findRepository(ctx, owner, repo);
    const pull = data?.pulls.find((candidate) => candidate.number === request.body?.number);
    if (!data || !pull) return reply.code(404).send({ message: 'no such pull request' });
    if (!isNameList(request.body?.labels)) return reply.code(422).send({ message: 'labels must be a list of names' });
    pull.labels = [...request.body.labels];
    const at = Math.max(now(), Date.parse(pull.updatedAt) + 1000);
    pull.updatedAt = new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    changed();
    return reply.code(204).send();
  });
}
