import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimOauth } from '../oauth/sim-oauth.js';
import { queryParam } from '../http/respond.js';
import type { SimRouteContext } from './route-context.js';

/** How many accounts the pick-a-user page lists. */
const PICK_PAGE_SIZE = 50;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function htmlPage(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

function withParams(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) target.searchParams.set(name, value);
  return target.toString();
}

/** A parameter of the token request: from the body (JSON or form) or, as GitHub also accepts, the query string. */
function tokenParam(request: FastifyRequest, name: string): string | undefined {
  const body = request.body;
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof fromBody === 'string') return fromBody;
  return queryParam(request, name);
}

/**
 * GitHub's OAuth web application flow (GitHub Docs, "Authorizing OAuth apps"):
 * - `GET /login/oauth/authorize?client_id&redirect_uri&state&scope&login` signs in the account named by `login`
 *   (GitHub: "suggests a specific account"), else the sim's default login, else shows a page of seeded users to
 *   pick from; then redirects (302) to `redirect_uri` with `code` and `state`. An unknown client is a 404 page; a
 *   `redirect_uri` outside the registered callback URL redirects to the callback with `error=redirect_uri_mismatch`.
 * - `POST /login/oauth/access_token` (client_id, client_secret, code, redirect_uri as JSON, form or query) answers
 *   `access_token`, `scope`, `token_type` — JSON when `Accept` names application/json, form-encoded otherwise;
 *   errors are answered 200 with `error`, `error_description`, `error_uri`, as GitHub does.
 * `GET /user` with an issued token answers that user (meta.routes.ts).
 */
export function registerOauthRoutes(app: FastifyInstance, ctx: SimRouteContext, oauth: SimOauth): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.get('/login/oauth/authorize', async (request, reply) => {
    const client = oauth.client(queryParam(request, 'client_id'));
    if (!client) return htmlPage(reply, 404, 'Not Found', '<p>No OAuth application has this client_id.</p>');
    const state = queryParam(request, 'state');
    const requested = queryParam(request, 'redirect_uri');
    if (requested !== undefined && !oauth.redirectAllowed(client, requested)) {
      if (!client.callbackUrl) return htmlPage(reply, 400, 'Bad redirect_uri', '<p>The redirect_uri is not an absolute http(s) URL.</p>');
      return reply.redirect(withParams(client.callbackUrl, {
        error: 'redirect_uri_mismatch',
        error_description: 'The redirect_uri MUST match the registered callback URL for this application.',
        error_uri: 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#redirect-uri-mismatch',
        state,
      }), 302);
    }
    const redirectUri = requested ?? client.callbackUrl;
    if (!redirectUri) return htmlPage(reply, 400, 'Missing redirect_uri', '<p>This application has no callback URL; pass redirect_uri.</p>');

    const login = queryParam(request, 'login') ?? oauth.defaultLogin;
    if (login === undefined) {
      const users = ctx.snapshot.accounts.all().filter((account) => account.type === 'User').sort((a, b) => a.login.localeCompare(b.login)).slice(0, PICK_PAGE_SIZE);
      const self = new URL(request.url, 'http://sim.invalid');
      const links = users.map((account) => {
        self.searchParams.set('login', account.login);
        return `<li><a href="${escapeHtml(self.pathname + self.search)}">${escapeHtml(account.login)}</a></li>`;
      });
      return htmlPage(reply, 200, 'Sign in to GitHub (simulator)', `<p>Pick the account to sign in as.</p><ul>${links.join('')}</ul>`);
    }
    const account = ctx.snapshot.accounts.find(login);
    if (!account || account.type !== 'User') return htmlPage(reply, 404, 'Not Found', `<p>The simulator has no user ${escapeHtml(login)}.</p>`);
    const code = oauth.issueCode(client.clientId, requested, account, queryParam(request, 'scope') ?? '');
    return reply.redirect(withParams(redirectUri, { code, state }), 302);
  });

  app.post('/login/oauth/access_token', async (request, reply) => {
    const answer = oauth.exchange({
      clientId: tokenParam(request, 'client_id'),
      clientSecret: tokenParam(request, 'client_secret'),
      code: tokenParam(request, 'code'),
      redirectUri: tokenParam(request, 'redirect_uri'),
    });
    if ((request.headers.accept ?? '').includes('application/json')) return reply.code(200).type('application/json; charset=utf-8').send(JSON.stringify(answer));
    return reply.code(200).type('application/x-www-form-urlencoded; charset=utf-8').send(new URLSearchParams(Object.entries(answer)).toString());
  });
}
