import { BullModule, getQueueToken, WorkerHost } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import type { Queue, Worker } from 'bullmq';
import type { Server } from 'node:http';
import type { DestinationStream, Logger } from 'pino';
import { loadConfig, type CambrianConfig } from '#libs/config';
import { prepareDatabase } from '#libs/db';
import { secretBoxFromConfig } from '#libs/secrets';
import { ReadinessService } from '#libs/health';
import {
  createLogger,
  DeferredRequestContextWorker,
  exitGracefullyOnSignal,
  instrumentWorker,
  PinoNestLogger,
  propagateRequestId,
  RequestContextWorker,
  startMetricsServer,
  startWorker,
} from '#libs/observability';
import { QueueName } from '#libs/queue';
import { WorkerModule } from './worker.module.js';

/** A running worker process: the Nest context, its BullMQ workers and, with `METRICS_PORT`, its metrics and health server. */
export interface WorkerProcess {
  app: INestApplicationContext;
  workers: Worker[];
  logger: Logger;
  /** `GET /metrics`, `/health/live` and `/health/ready` server and its port, when `METRICS_PORT` is set. */
  metrics?: { server: Server; port: number };
}

/** The BullMQ workers of every `@Processor` (WorkerHost) provider of the context. */
export function bullWorkers(app: INestApplicationContext): Worker[] {
  return app
    .get(DiscoveryService, { strict: false })
    .getProviders()
    .map((wrapper) => wrapper.instance as unknown)
    .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
    .map((host) => host.worker);
}

/**
 * Graceful stop of a worker: every BullMQ worker stops taking jobs and waits for its running jobs
 * (`worker.close()`), then the metrics server and Nest's shutdown hooks (Postgres, Redis) close.
 * Jobs still running when `SHUTDOWN_TIMEOUT_SECONDS` (the caller's timeout) runs out are handed
 * back to their queue ({@link handBackRunningJobs}) and run again by another worker; should that
 * fail, their lock expires and BullMQ's stalled-job check returns them.
 */
export async function closeWorkerGracefully(running: WorkerProcess): Promise<void> {
  await Promise.all(running.workers.map((worker) => worker.close()));
  const metrics = running.metrics;
  if (metrics) await new Promise<void>((resolve) => metrics.server.close(() => resolve()));
  await running.app.close();
}

/** Hands the jobs every worker is running back to their queues (see {@link RequestContextWorker.handBack}). */
export async function handBackRunningJobs(running: WorkerProcess): Promise<string[]> {
  const workers = running.workers.filter((worker): worker is RequestContextWorker => worker instanceof RequestContextWorker);
  return (await Promise.all(workers.map((worker) => worker.handBack(running.logger)))).flat();
}

/**
 * Creates a worker process: migrates if needed, starts every queue's processor with JSON logs
 * (pino, `service: cambrian-worker`; one line per job completed or failed, with the `requestId`
 * of the request that created it, which the processor's own lines and the jobs it enqueues carry
 * too) and job metrics, served on `METRICS_PORT` when set with the health probes ({@link workerProbes}).
 */
export async function createWorkerProcess(options: { logDestination?: DestinationStream; logger?: Logger } = {}): Promise<WorkerProcess> {
  const config: CambrianConfig = loadConfig();
  await prepareDatabase(config.DATABASE_URL, secretBoxFromConfig(config));
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, service: 'cambrian-worker', destination: options.logDestination });
  // processors run in the context of their job's requestId (their log lines and the jobs they enqueue carry it);
  // the workers take no job until they are observed (below)
  BullModule.workerClass = DeferredRequestContextWorker;
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: config.LOG_LEVEL === 'silent' ? false : new PinoNestLogger(logger),
  });
  for (const name of Object.values(QueueName)) propagateRequestId(app.get<Queue>(getQueueToken(name), { strict: false }));
  const workers = bullWorkers(app);
  for (const worker of workers) instrumentWorker(worker, logger);
  for (const worker of workers) startWorker(worker, logger);
  const metrics = config.METRICS_PORT === undefined ? undefined : await startMetricsServer(config.METRICS_PORT, config.HOST, workerProbes(app, workers));
  if (metrics) logger.info({ port: metrics.port }, 'metrics at /metrics, probes at /health/live and /health/ready');
  return { app, workers, logger, metrics };
}

/**
 * The worker's health probes: live while the process answers; ready when Postgres, Redis and the
 * migrations are (the api's checks, `#libs/health`) and every BullMQ worker is running and not
 * closing (`workers`: down during a graceful shutdown, or when a worker stopped on an error).
 */
function workerProbes(app: INestApplicationContext, workers: Worker[]) {
  const readiness = app.get(ReadinessService);
  const running = readiness.stateCheck(
    'workers',
    () => workers.every((worker) => worker.isRunning() && !worker.closing),
    'a BullMQ worker is closing or not running',
  );
  return { live: () => readiness.live(), ready: () => readiness.probe([running]) };
}

/**
 * Starts a worker process that runs until SIGTERM or SIGINT, then stops gracefully: running jobs
 * finish within `SHUTDOWN_TIMEOUT_SECONDS` or are handed back to their queue, and the process exits 1.
 * The signal handler is installed before anything starts: a signal that comes during the start
 * (migrations, the BullMQ workers taking their first jobs) lets the start finish, then closes what it
 * built the same way, instead of ending the process by the signal's default action with jobs in hand.
 * A start that fails after a signal ends the process with 1 (the shutdown fails with the start's error).
 */
export async function bootstrapWorker(): Promise<WorkerProcess> {
  const config = loadConfig();
  const logger = createLogger({ level: config.LOG_LEVEL, service: 'cambrian-worker' });
  const started: { worker?: WorkerProcess } = {};
  const starting = createWorkerProcess({ logger });
  exitGracefullyOnSignal(async () => closeWorkerGracefully(await starting), {
    timeoutSeconds: config.SHUTDOWN_TIMEOUT_SECONDS,
    logger,
    // a start still under way at the timeout has handed no BullMQ worker out yet: nothing to hand back
    onTimeout: async () => (started.worker ? handBackRunningJobs(started.worker) : []),
  });
  const worker = await starting;
  started.worker = worker;
  logger.info({ queues: worker.workers.map((w) => w.name) }, 'processing queues');
  return worker;
}
