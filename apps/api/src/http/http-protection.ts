import fastifyCors from '@fastify/cors';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import helmet from 'helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { CambrianConfig } from '#libs/config';
import { redisConnectionOptions } from '#libs/queue';
import { documentGuard, GRAPHQL_BODY_LIMIT } from '../graphql/document-limits.js';
import { installRateLimits, rateLimitPolicies, RequestRateLimiter, type RateLimitRouteConfig } from './rate-limit.js';

/** Path of the GraphQL endpoint (the Apollo driver registers it; see graphql-api.module.ts). */
const GRAPHQL_PATH = '/graphql';

/**
 * Content-Security-Policy of every answer: JSON needs nothing, and the api's own small HTML pages
 * (no scripts) may use their own images, inline styles and post forms to the api. No framing
 * (clickjacking), no `<base>`.
 */
export const API_CONTENT_SECURITY_POLICY: Record<string, string[]> = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
};

/**
 * Content-Security-Policy of the GraphiQL landing page (`GET /graphql` from a browser, outside
 * production only): GraphiQL's scripts and styles come from unpkg.com and start from an inline
 * script; it calls `/graphql` on the same origin.
 */
export const LANDING_PAGE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'; connect-src 'self'; " +
  "script-src https://unpkg.com 'unsafe-inline'; style-src https://unpkg.com 'unsafe-inline'; " +
  'img-src https://unpkg.com data:; font-src https://unpkg.com data:';

/** Longest wait at start-up for the rate limiter's Redis connection (milliseconds). */
const REDIS_READY_WAIT_MS = 2000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * Origins allowed to call the api from a browser: `CONSOLE_ORIGIN`, or when unset the api's own
 * (`http://HOST:PORT`; for a loopback HOST both `http://localhost:PORT` and `http://127.0.0.1:PORT`).
 */
export function allowedOrigins(config: Pick<CambrianConfig, 'CONSOLE_ORIGIN' | 'HOST' | 'PORT'>): string[] {
  if (config.CONSOLE_ORIGIN.length > 0) return config.CONSOLE_ORIGIN;
  if (LOOPBACK_HOSTS.has(config.HOST)) return [`http://localhost:${config.PORT}`, `http://127.0.0.1:${config.PORT}`];
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  return [`http://${host}:${config.PORT}`];
}

/**
 * Installs the HTTP protections of apps/api (README, "Protection"); call before `init()`/`listen()`:
 * - security headers (`helmet`) with {@link API_CONTENT_SECURITY_POLICY}, and
 *   {@link LANDING_PAGE_CONTENT_SECURITY_POLICY} on GraphiQL outside production (the console under
 *   `/console` gets its own: console/console-static.ts);
 * - `Cache-Control: no-store` on every answer of `/graphql` (answers depend on who asks);
 * - CORS (`@fastify/cors`) for {@link allowedOrigins} only, with credentials (a refused origin
 *   gets no `Access-Control-Allow-Origin`, so the browser withholds the answer);
 * - `/graphql`: a body limit of {@link GRAPHQL_BODY_LIMIT} (413), the document checks of
 *   `documentGuard` (size, tokens, fields, depth, aliases) and the `graphql` rate limits;
 * - the rate limits of routes that name one (`rateLimited(...)`), in Redis (see
 *   {@link RequestRateLimiter}: fails open, with a warning, while Redis is away). The server waits
 *   up to 2 s at start-up for its Redis connection (not longer: the api starts without Redis), and
 *   closes it when it closes.
 */
export async function applyHttpProtection(app: NestFastifyApplication, config: CambrianConfig, logger: Logger): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const production = config.NODE_ENV === 'production';
  // helmet's middleware, built once: @fastify/helmet builds it again for every request (the CSP
  // directives parsed anew each time, ~6 µs a request); the headers are the same
  const securityHeaders = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: API_CONTENT_SECURITY_POLICY },
    // the console is another origin: cross-origin fetches are governed by CORS, not CORP
    crossOriginResourcePolicy: { policy: 'same-site' },
    hsts: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    // every answer of /graphql, the refusals before Apollo (body, document limits, rate limits, credentials)
    // included, depends on who asks: no browser or shared cache may keep one (RFC 9111 §5.2.2.5)
    if (request.routeOptions.url === GRAPHQL_PATH) void reply.header('cache-control', 'no-store');
    securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  if (!production) {
    fastify.addHook('onSend', async (request, reply, payload) => {
      const type = reply.getHeader('content-type');
      if (request.routeOptions.url === GRAPHQL_PATH && typeof type === 'string' && type.startsWith('text/html')) {
        void reply.header('content-security-policy', LANDING_PAGE_CONTENT_SECURITY_POLICY);
      }
      return payload;
    });
  }
  await app.register(fastifyCors, {
    origin: allowedOrigins(config),
    credentials: true,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'],
    exposedHeaders: ['retry-after', 'x-request-id'],
    maxAge: 600,
  });

  // the schema host is a singleton: looked up once (app.get searches the modules, ~25 µs a request), its schema read per request
  let schemaHost: GraphQLSchemaHost | undefined;
  const servedSchema = () => {
    const host = schemaHost ?? (schemaHost = app.get<GraphQLSchemaHost>(GraphQLSchemaHost));
    return host.schema;
  };
  fastify.addHook('onRoute', (route) => {
    if (route.url !== GRAPHQL_PATH) return;
    route.bodyLimit = GRAPHQL_BODY_LIMIT;
    route.config = { ...(route.config as object), rateLimit: 'graphql' } satisfies RateLimitRouteConfig;
    const preHandler = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [...preHandler, documentGuard(servedSchema)];
  });

  const redis = new Redis({
    ...(redisConnectionOptions(config.REDIS_URL) as RedisOptions),
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 1000,
  });
  redis.on('error', () => undefined); // reported by the limiter when a request meets it
  // the first requests should meet a connected limiter, but a Redis outage must not stop the start
  fastify.addHook('onReady', async () => {
    if (redis.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise((resolve) => redis.once('ready', resolve)),
      new Promise((resolve) => (timer = setTimeout(resolve, REDIS_READY_WAIT_MS))),
    ]);
    clearTimeout(timer);
  });
  fastify.addHook('onClose', async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  const limiter = new RequestRateLimiter({
    redis,
    keyPrefix: `${config.QUEUE_PREFIX}:rate-limit`,
    policies: rateLimitPolicies(config),
    logger,
  });
  installRateLimits(fastify, limiter);
}
