import { NestFactory } from '@nestjs/core';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { loadConfig } from '#libs/config';
import { prepareDatabase } from '#libs/db';
import { WorkerModule } from './worker.module.js';

/** Starts a worker process: migrates if needed, then runs every queue's processor until SIGTERM. */
export async function bootstrapWorker(): Promise<INestApplicationContext> {
  const config = loadConfig();
  await prepareDatabase(config.DATABASE_URL);
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: config.LOG_LEVEL === 'silent' ? false : ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks();
  new Logger('Worker').log('processing queues');
  return app;
}
