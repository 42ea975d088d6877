import fastifyCookie from '@fastify/cookie';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream, Logger } from 'pino';
import { CAMBRIAN_CONFIG, loadConfig, type CambrianConfig } from '#libs/config';
import { prepareDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { createLogger, exitGracefullyOnSignal, instrumentFastify, PinoNestLogger } from '#libs/observability';
import { AppModule } from './app.module.js';
import { serveConsole } from './console/console-static.js';
import { applyHttpProtection } from './http/http-protection.js';
import { mountQueueBoard } from './queues/queue-board.js';
import { applyRouteBodyOptions } from './webhooks/route-body-options.js';

/**
 * Default body limit of routes other than the webhook endpoint (bytes); a route may set its own
 * with `@RouteConfig({ bodyLimit })` (see `applyRouteBodyOptions`).
 */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Options of {@link createApiApp}. */
export interface ApiAppOptions {
  /** `false` silences every log line (tests); default: `LOG_LEVEL`. */
  logger?: boolean;
  /** Where the JSON log lines go (default stdout). */
  logDestination?: DestinationStream;
}

/**
 * Creates the api application (not listening yet): validates config, creates and migrates
 * the database, builds Nest on the Fastify adapter with JSON logs (pino, `service: cambrian-api`),
 * request ids and HTTP metrics (see libs/observability), and installs the HTTP protections
 * (security headers, CORS, body and document limits, rate limits: http/http-protection.ts), mounts the admins'
 * queue dashboard at `/admin/queues` (queues/queue-board.ts) and serves the built console at `/console`
 * (console/console-static.ts). Shutdown is the caller's: `app.close()`,
 * or {@link closeApiGracefully} on a signal.
 */
export async function createApiApp(options: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL, secretBoxFromConfig(config));
  const silent = options.logger === false || config.LOG_LEVEL === 'silent';
  const logger = createLogger({ level: silent ? 'silent' : config.LOG_LEVEL, service: 'cambrian-api', destination: options.logDestination });
  // Fastify's defaults serve the shutdown: `forceCloseConnections: 'idle'` and `return503OnClosing`
  const adapter = new FastifyAdapter({ bodyLimit: DEFAULT_BODY_LIMIT, trustProxy: config.TRUST_PROXY });
  instrumentFastify(adapter.getInstance(), logger, { serverTiming: config.SERVER_TIMING === 'on' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: silent ? false : new PinoNestLogger(logger),
    bufferLogs: false,
  });
  applyRouteBodyOptions(app);
  await applyHttpProtection(app, config, logger);
  // cookies of sign-in (apps/api/src/auth): the state cookie is signed with AUTH_SECRET
  await app.register(fastifyCookie, { secret: config.AUTH_SECRET });
  // the queue dashboard (bull-board) at /admin/queues, for admins only
  await mountQueueBoard(app);
  // the built console at /console (apps/console), or a 503 saying how to build it
  await serveConsole(app, config);
  return app;
}

/**
 * Graceful stop of the api: the HTTP server stops listening at once (new connections are refused,
 * idle keep-alive connections closed, requests arriving on busy ones answered 503) and waits for the
 * requests in flight; only then are Nest's shutdown hooks run, so those requests still have their
 * Postgres and Redis connections. (Nest's own `close()` releases the modules first.)
 */
export async function closeApiGracefully(app: NestFastifyApplication): Promise<void> {
  await app.getHttpAdapter().getInstance().close();
  await app.close();
}

/**
 * Starts the api on HOST:PORT and logs where it listens. SIGTERM or SIGINT stops it gracefully
 * ({@link closeApiGracefully}) within `SHUTDOWN_TIMEOUT_SECONDS`.
 */
export async function bootstrapApi(): Promise<NestFastifyApplication> {
  const app = await createApiApp();
  const config = app.get<CambrianConfig>(CAMBRIAN_CONFIG);
  const logger: Logger = createLogger({ level: config.LOG_LEVEL, service: 'cambrian-api' });
  exitGracefullyOnSignal(() => closeApiGracefully(app), { timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS, logger });
  await app.listen(config.PORT, config.HOST);
  logger.info({ url: await app.getUrl() }, 'listening (GraphQL at /graphql, webhooks at /webhooks/github, metrics at /metrics)');
  return app;
}
