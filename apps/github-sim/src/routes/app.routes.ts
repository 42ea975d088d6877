import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { githubError, notFound } from '../http/github-errors.js';
import type { SimGithubApp } from '../http/github-app.js';
import { sendError } from '../http/respond.js';
import type { SimRouteContext } from './route-context.js';

const DOCS = 'https://docs.github.com/rest/apps/apps';
/** What the sim's installation tokens may do (read-only, as Cambrian asks). */
const PERMISSIONS = { contents: 'read', issues: 'read', metadata: 'read', pull_requests: 'read' };

/** GitHub's timestamps: ISO 8601 UTC without milliseconds. */
const githubTime = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * GitHub App routes (GitHub Docs, "REST API endpoints for GitHub Apps"), each authenticated by the
 * App's JWT (`Authorization: Bearer <jwt>`; an invalid or expired one answers 401 as GitHub does):
 * - POST /app/installations/:id/access_tokens — 201 with a `ghs_` token and its `expires_at`;
 * - GET /app/installations — the App's installations;
 * - GET /repos/:owner/:repo/installation — the installation covering the repository's owner, 404 if none.
 */
export function registerAppRoutes(app: FastifyInstance, ctx: SimRouteContext, githubApp: SimGithubApp): void {
  const authenticated = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const refusal = githubApp.verifyJwt(request.simClient.token);
    if (refusal) sendError(reply, 401, githubError(401, refusal, 'https://docs.github.com/rest'));
    return !refusal;
  };
  const render = (installation: { id: number; account: string }) => {
    const owner = ctx.snapshot.owners.get(installation.account.toLowerCase());
    return {
      id: installation.id,
      account: { login: owner?.login ?? installation.account, id: owner?.id ?? null, type: owner?.type ?? 'Organization' },
      app_id: githubApp.appId,
      target_type: owner?.type ?? 'Organization',
      repository_selection: 'all',
      access_tokens_url: `${ctx.urls.apiUrl}/app/installations/${installation.id}/access_tokens`,
      repositories_url: `${ctx.urls.apiUrl}/installation/repositories`,
      permissions: PERMISSIONS,
      events: [],
    };
  };

  app.post<{ Params: { id: string } }>('/app/installations/:id/access_tokens', async (request, reply) => {
    if (!authenticated(request, reply)) return reply;
    const installation = githubApp.installation(Number(request.params.id));
    if (!installation) return sendError(reply, 404, notFound(`${DOCS}#create-an-installation-access-token-for-an-app`));
    const { token, expiresAt } = githubApp.issueToken(installation.id);
    return reply
      .code(201)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify({ token, expires_at: githubTime(expiresAt), permissions: PERMISSIONS, repository_selection: 'all' }));
  });

  app.get('/app/installations', async (request, reply) => {
    if (!authenticated(request, reply)) return reply;
    return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(githubApp.installations().map(render)));
  });

  app.get<{ Params: { owner: string; repo: string } }>('/repos/:owner/:repo/installation', async (request, reply) => {
    if (!authenticated(request, reply)) return reply;
    const known = ctx.snapshot.byFullName.has(`${request.params.owner}/${request.params.repo}`.toLowerCase());
    const installation = known ? githubApp.installationFor(request.params.owner) : undefined;
    if (!installation) return sendError(reply, 404, notFound(`${DOCS}#get-a-repository-installation-for-the-authenticated-app`));
    return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(render(installation)));
  });
}
