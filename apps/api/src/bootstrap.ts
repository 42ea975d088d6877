import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { CAMBRIAN_CONFIG, loadConfig, type CambrianConfig } from '#libs/config';
import { prepareDatabase } from '#libs/db';
import { AppModule } from './app.module.js';
import { applyRouteBodyOptions } from './webhooks/route-body-options.js';

/**
 * Default body limit of routes other than the webhook endpoint (bytes); a route may set its own
 * with `@RouteConfig({ bodyLimit })` (see `applyRouteBodyOptions`).
 */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Creates the api application (not listening yet): validates config, creates and migrates
 * the database, builds Nest on the Fastify adapter.
 */
export async function createApiApp(options: { logger?: boolean } = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  const adapter = new FastifyAdapter({ bodyLimit: DEFAULT_BODY_LIMIT, trustProxy: true });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: options.logger === false || config.LOG_LEVEL === 'silent' ? false : ['log', 'warn', 'error'],
    bufferLogs: false,
  });
  applyRouteBodyOptions(app);
  app.enableShutdownHooks();
  return app;
}

/** Starts the api on HOST:PORT and prints where it listens. */
export async function bootstrapApi(): Promise<NestFastifyApplication> {
  const app = await createApiApp();
  const config = app.get<CambrianConfig>(CAMBRIAN_CONFIG);
  await app.listen(config.PORT, config.HOST);
  new Logger('Api').log(`listening on ${await app.getUrl()} (GraphQL at /graphql, webhooks at /webhooks/github)`);
  return app;
}
