import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { identifyClient, type SimClient } from './http/client.js';
import { FaultInjector, RESPONSE_FAULTS, type FaultRule, type FaultRuleInput } from './http/faults.js';
import { SimGithubApp, type SimGithubAppOptions } from './http/github-app.js';
import { DocsUrl, githubError, notFound } from './http/github-errors.js';
import { RateLimiter, rateLimitHeaders, type RateLimitOptions } from './http/rate-limit.js';
import { RequestLog } from './http/request-log.js';
import { sendError } from './http/respond.js';
import { ResponseCache } from './http/response-cache.js';
import { SimStats } from './http/sim-stats.js';
import { GithubRenderer } from './render/github-renderer.js';
import type { UrlContext } from './render/github-json.types.js';
import { registerAppRoutes } from './routes/app.routes.js';
import { registerCommitRoutes } from './routes/commit.routes.js';
import { registerIssueRoutes } from './routes/issue.routes.js';
import { SIM_USER, registerMetaRoutes } from './routes/meta.routes.js';
import { registerPullRequestRoutes } from './routes/pull-request.routes.js';
import { registerRepositoryRoutes } from './routes/repository.routes.js';
import type { SimRouteContext } from './routes/route-context.js';
import { registerSimAdminRoutes } from './routes/sim-admin.routes.js';
import { RepositoryRenames, registerRenameRoutes, rewriteRepositoryIdUrl } from './routes/rename.routes.js';
import { registerLabelTopicRoutes } from './routes/labels-topics.routes.js';
import { registerOauthRoutes } from './routes/oauth.routes.js';
import { SimProfiles, registerUserRoutes } from './routes/user.routes.js';
import { DEFAULT_SIM_OAUTH_CLIENT, SimOauth, type SimOauthOptions } from './oauth/sim-oauth.js';
import { loadSnapshot } from './seed/build-snapshot.js';
import type { Snapshot } from './seed/snapshot.types.js';

/** Per-request bookkeeping between the hooks. */
interface SimRequestState {
  /** Not a REST API request (`/_sim/…` admin routes, `/login/oauth/…` web flow): no limits, faults or counters. */
  admin: boolean;
  consumed: boolean;
  rateLimited: boolean;
  fault: boolean;
  /** A fault applied to the normal answer on its way out (`malformed-json`, `foreign-link`, `item-fields`, `duplicate-item`, `link-loop`). */
  mangle?: FaultRule;
  /** Arrival on the sim's clock, epoch ms. */
  at: number;
  /** Requests of the client in flight at arrival, this one included (0 for admin routes). */
  inFlight: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    simClient: SimClient;
    simState: SimRequestState;
  }
}

/** Options of createGithubSim; everything is optional except a data source (`snapshot` or `dataDir`). */
export interface GithubSimOptions {
  /** Data directory (the RWKV export). Ignored when `snapshot` is given. */
  dataDir?: string;
  /** A snapshot already loaded (tests share one across servers). */
  snapshot?: Snapshot;
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  rateLimit?: RateLimitOptions;
  /** Faults queued from the start. */
  faults?: FaultRuleInput[];
  /** Clock for rate-limit windows, the `Date` header and the request log, epoch ms (tests skew it). */
  now?: () => number;
  /**
   * GitHub's secondary limit on concurrent requests (GitHub Docs, "About secondary rate limits": no
   * more than 100 concurrent requests): a request arriving while this many of its client's are in
   * flight is answered 403 with the secondary-limit message (`retry-after` when `retryAfterSeconds`
   * is set). Off by default.
   */
  secondaryLimit?: { maxConcurrent: number; retryAfterSeconds?: number };
  /** Fastify request logging; default off. */
  logger?: boolean;
  /**
   * A GitHub App and its installations: App routes (installation tokens, installations), `ghs_`
   * tokens that expire after `tokenTtlSeconds` (then 401 "Bad credentials"), one rate-limit bucket
   * per installation whatever its current token. Off by default.
   */
  githubApp?: SimGithubAppOptions;
  /**
   * The OAuth web application flow (`/login/oauth/authorize`, `/login/oauth/access_token`, `GET /user` as the
   * signed-in user). Default: one client, DEFAULT_SIM_OAUTH_CLIENT, any redirect URL, a page to pick the user.
   */
  oauth?: SimOauthOptions;
}

/** A running simulator. */
export interface GithubSim {
  /** Base URL for Octokit's `baseUrl`, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  app: FastifyInstance;
  snapshot: Snapshot;
  stats: SimStats;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** Arrival times and requests in flight (`GET /_sim/requests`). */
  requestLog: RequestLog;
  /** The GitHub App part, when `githubApp` was given. */
  githubApp?: SimGithubApp;
  /** The OAuth apps, codes and user tokens. */
  oauth: SimOauth;
  close(): Promise<void>;
}

const EXPOSED_HEADERS =
  'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset';

/** GitHub's primary rate-limit message (authenticated: by user id; anonymous: by IP, with the hint to authenticate). */
export function primaryRateLimitMessage(client: SimClient): string {
  return client.anonymous
    ? `API rate limit exceeded for ${client.ip}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
    : `API rate limit exceeded for user ID ${SIM_USER.id}.`;
}

function secondaryLimitBody(status: number, requestId: string): Record<string, string> {
  return githubError(
    status,
    `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
    DocsUrl.secondaryRateLimits,
  );
}

function faultBody(rule: FaultRule, requestId: string): Record<string, string> {
  if (rule.kind === 'secondary-rate-limit') return secondaryLimitBody(rule.status, requestId);
  if (rule.kind === 'client-error') {
    const text = rule.message ?? (rule.status === 401 ? 'Bad credentials' : rule.status === 404 ? 'Not Found' : 'Bad Request');
    return githubError(rule.status, text);
  }
  return githubError(rule.status, 'Server Error');
}

/** Applies a response fault to a served answer: `Link` URLs moved to another origin, the JSON body cut in half, or its items' fields changed. */
function mangleAnswer(
  rule: FaultRule,
  reply: { getHeader(name: string): unknown; header(name: string, value: string): unknown },
  payload: unknown,
  selfUrl: string,
): unknown {
  if (rule.kind === 'link-loop') {
    const link = reply.getHeader('link');
    const next = `<${selfUrl}>; rel="next"`;
    if (typeof link !== 'string') reply.header('link', next);
    else if (/rel="next"/.test(link)) reply.header('link', link.replace(/<[^>]*>(\s*;\s*rel="next")/, `<${selfUrl}>$1`));
    else reply.header('link', `${next}, ${link}`);
    return payload;
  }
  if (rule.kind === 'foreign-link') {
    const link = reply.getHeader('link');
    if (typeof link === 'string') {
      reply.header('link', link.replace(/<([^>]*)>/g, (_all, url: string) => {
        const target = new URL(url);
        return `<${new URL(target.pathname + target.search, rule.foreignOrigin).toString()}>`;
      }));
    }
    return payload;
  }
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
  if (text === null) return payload;
  if (rule.kind === 'malformed-json') return text.slice(0, Math.floor(text.length / 2));
  if (rule.kind === 'duplicate-item') {
    const items = JSON.parse(text) as unknown;
    return Array.isArray(items) && items.length > 0 ? JSON.stringify([...items, items[0]]) : text;
  }
  const change = (item: unknown) => {
    if (!item || typeof item !== 'object') return item;
    const changed: Record<string, unknown> = { ...(item as Record<string, unknown>), ...rule.set };
    for (const key of rule.unset ?? []) delete changed[key];
    return changed;
  };
  const body = JSON.parse(text) as unknown;
  return JSON.stringify(Array.isArray(body) ? body.map(change) : change(body));
}

/**
 * Starts the GitHub REST simulator on 127.0.0.1: loads (or takes) the snapshot, registers the routes and the
 * GitHub behaviours (pagination, ETag/304, primary rate limit, injected faults, counters) and listens.
 * Resolves once listening; `close()` stops it.
 */
export async function createGithubSim(options: GithubSimOptions = {}): Promise<GithubSim> {
  const snapshot = options.snapshot ?? (await loadSnapshot(requireDataDir(options.dataDir)));
  const urls: UrlContext = { apiUrl: '', htmlUrl: 'https://github.com' };
  const ctx: SimRouteContext = { snapshot, renderer: new GithubRenderer(urls), urls, cache: new ResponseCache() };
  const limiter = new RateLimiter(options.rateLimit, options.now);
  const faults = new FaultInjector();
  for (const rule of options.faults ?? []) faults.add(rule);
  const stats = new SimStats();
  const now = options.now ?? Date.now;
  const requestLog = new RequestLog(now);
  const githubApp = options.githubApp ? new SimGithubApp(options.githubApp, now) : undefined;
  const oauth = new SimOauth(options.oauth ?? { clients: [DEFAULT_SIM_OAUTH_CLIENT] }, now);
  const requestTag = randomBytes(2).toString('hex').toUpperCase();
  let requestCounter = 0;

  const renames = new RepositoryRenames(ctx);
  const app = Fastify({
    logger: options.logger ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    // `/repositories/{id}/…` (where GitHub redirects a renamed repository) is served by the /repos routes
    rewriteUrl: (raw) => rewriteRepositoryIdUrl(ctx, raw.url ?? '/'),
  });
  app.decorateRequest('simClient', null as unknown as SimClient);
  app.decorateRequest('simState', null as unknown as SimRequestState);

  app.addHook('onRequest', async (request, reply) => {
    let client = identifyClient(request.headers.authorization, request.ip);
    const tokenCheck = githubApp?.check(client.token) ?? { kind: 'other' as const };
    if (tokenCheck.kind === 'installation') {
      // GitHub's rate limit of an installation is shared by all of its tokens
      const bucket = `installation:${tokenCheck.installationId}`;
      client = { ...client, key: bucket, label: bucket };
    } else if (tokenCheck.kind === 'jwt' && githubApp) {
      client = { ...client, key: `app:${githubApp.appId}`, label: `app:${githubApp.appId}` };
    }
    const path = request.url.split('?', 1)[0];
    // `/login/oauth/…` is github.com's web flow, not the REST API: no rate limit, faults or REST counters
    const state: SimRequestState = { admin: path.startsWith('/_sim/') || path.startsWith('/login/oauth/'), consumed: false, rateLimited: false, fault: false, at: now(), inFlight: 0 };
    request.simClient = client;
    request.simState = state;
    reply.header('x-github-request-id', `${requestTag}:${(++requestCounter).toString(16).toUpperCase()}`);
    if (state.admin) return;
    state.inFlight = requestLog.begin(client.label);
    if (tokenCheck.kind === 'bad-credentials') {
      // an installation token past its expires_at, or one never issued (GitHub Docs: 401 "Bad credentials")
      state.fault = true;
      return sendError(reply, 401, githubError(401, 'Bad credentials', DocsUrl.rest));
    }
    if (options.secondaryLimit && state.inFlight > options.secondaryLimit.maxConcurrent) {
      state.fault = true;
      if (options.secondaryLimit.retryAfterSeconds !== undefined) reply.header('retry-after', String(options.secondaryLimit.retryAfterSeconds));
      return sendError(reply, 403, secondaryLimitBody(403, String(reply.getHeader('x-github-request-id'))));
    }

    const fault = faults.take(path);
    if (fault?.kind === 'delay') {
      await sleep(fault.delayMs);
    } else if (fault && RESPONSE_FAULTS.has(fault.kind)) {
      state.mangle = fault; // served normally, changed in onSend
    } else if (fault) {
      if (fault.delayMs > 0) await sleep(fault.delayMs); // a slow rate-limit answer: requests sent meanwhile are in flight
      state.fault = true;
      if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
      return sendError(reply, fault.status, faultBody(fault, String(reply.getHeader('x-github-request-id'))));
    }
    if (path === '/rate_limit') return;
    if (!limiter.consume(client.key, client.anonymous).allowed) {
      state.rateLimited = true;
      return sendError(reply, 403, githubError(403, primaryRateLimitMessage(client), DocsUrl.rateLimits));
    }
    state.consumed = true;
    const moved = renames.redirectFor(request.url);
    if (moved) return reply.code(301).header('location', moved).send();
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const state = request.simState;
    if (!state || state.admin) return payload;
    const client = request.simClient;
    if (state.consumed && reply.statusCode === 304) {
      limiter.refund(client.key, client.anonymous); // GitHub: a 304 does not count against the rate limit
      state.consumed = false;
    }
    reply.headers(rateLimitHeaders(limiter.peek(client.key, client.anonymous)));
    reply.header('date', new Date(now()).toUTCString()); // GitHub's clock: the one its resets are on
    reply.header('x-github-media-type', 'github.v3; format=json');
    reply.header('x-github-api-version-selected', '2022-11-28');
    reply.header('cache-control', client.anonymous ? 'public, max-age=60, s-maxage=60' : 'private, max-age=60, s-maxage=60');
    reply.header('vary', 'Accept, Authorization, Cookie, X-GitHub-OTP');
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    if (state.mangle && reply.statusCode === 200) {
      state.fault = true;
      return mangleAnswer(state.mangle, reply, payload, `${urls.apiUrl}${request.url}`);
    }
    return payload;
  });

  app.addHook('onResponse', async (request, reply) => {
    const state = request.simState;
    if (!state || state.admin) return;
    stats.record(request.simClient.label, reply.statusCode, { rateLimited: state.rateLimited, fault: state.fault });
    requestLog.end({ at: state.at, method: request.method, url: request.url, client: request.simClient.label, status: reply.statusCode, inFlight: state.inFlight });
  });

  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, notFound()));
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return sendError(reply, status, githubError(status, status === 500 ? 'Server Error' : error.message));
  });

  registerRepositoryRoutes(app, ctx);
  registerCommitRoutes(app, ctx);
  registerPullRequestRoutes(app, ctx);
  registerIssueRoutes(app, ctx);
  registerMetaRoutes(app, ctx, limiter, oauth);
  registerOauthRoutes(app, ctx, oauth);
  registerSimAdminRoutes(app, ctx, { stats, faults, limiter, requestLog });
  registerRenameRoutes(app, renames);
  registerLabelTopicRoutes(app, ctx, now);
  registerUserRoutes(app, ctx, new SimProfiles(ctx), now);
  if (githubApp) registerAppRoutes(app, ctx, githubApp);

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  urls.apiUrl = `http://${host}:${address.port}`;

  return {
    url: urls.apiUrl,
    app,
    snapshot,
    stats,
    faults,
    rateLimiter: limiter,
    requestLog,
    githubApp,
    oauth,
    close: () => app.close(),
  };
}

function requireDataDir(dataDir: string | undefined): string {
  if (!dataDir) throw new Error('createGithubSim needs either `snapshot` or `dataDir`');
  return dataDir;
}
