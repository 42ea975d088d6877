import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { Queue } from 'bullmq';
import pg from 'pg';
import { signWebhookBody } from '#libs/github';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { AppProcess, TEST_APP_ENV } from '../helpers/app-process.js';
import { createTestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { RedisServer, sparePort, until } from '../helpers/local-servers.js';

export type { AppProcess };
export { RedisServer, sparePort, until };

/**
 * Helpers of the resilience suite: the compiled apps (dist/, `npm run build` first) and a
 * `redis-server` of the test's own as child processes, signed deliveries, and a TCP relay in front
 * of Postgres that can refuse or black-hole connections.
 */

const require = createRequire(import.meta.url);
const examples: Array<{ name: string; examples: Array<Record<string, any>> }> = require('@octokit/webhooks-examples');

/** The webhook secret the suite's processes accept. */
export const RESILIENCE_SECRET = 'resilience-webhook-secret';

/**
 * Starts the compiled `app` as the suite runs it: test mode, logs at info kept in memory, a free
 * port, the suite's webhook secret; `env` comes last (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, ...).
 */
export function startApp(app: 'api' | 'worker', env: Record<string, string>): AppProcess {
  return AppProcess.start(app, { ...TEST_APP_ENV, GITHUB_WEBHOOK_SECRETS: RESILIENCE_SECRET, ...env });
}

/** A compiled api and worker started together, with an admin API token made by the compiled CLI. */
export interface ApiAndWorker {
  api: AppProcess;
  worker: AppProcess;
  /** The api's base URL. */
  url: string;
  adminToken: string;
}

/**
 * Starts the compiled api and worker with `env` (DATABASE_URL, REDIS_URL, QUEUE_PREFIX, ...), waits for
 * the api's port and the worker's `processing queues`, and creates an admin token named `tokenName`
 * with `cambrian token create`.
 */
export async function startApiAndWorker(env: Record<string, string>, tokenName: string): Promise<ApiAndWorker> {
  const api = startApp('api', env);
  const worker = startApp('worker', env);
  const url = await api.url();
  await worker.logged('processing queues');
  const created = await promisify(execFile)(process.execPath, ['dist/apps/cli/src/main.js', 'token', 'create', '--role', 'admin', '--name', tokenName], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
  });
  return { api, worker, url, adminToken: created.stdout.trim() };
}

/** Kills the processes of {@link startApiAndWorker} (either may be missing) and empties the webhooks queue of `redisUrl` under `queuePrefix`. */
export async function stopApiAndWorker(started: Partial<ApiAndWorker> | undefined, redisUrl: string, queuePrefix: string): Promise<void> {
  await Promise.all([started?.api?.kill(), started?.worker?.kill()]);
  const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(redisUrl), prefix: queuePrefix });
  await queue.obliterate({ force: true });
  await queue.close();
}

/** {@link startApiAndWorker} on a test database of its own, with a pool for the test's reads, and their teardown. */
export interface ApiAndWorkerOnTestDatabase extends ApiAndWorker {
  /** A pool on the test database, for the test's reads (no erasure key: it writes nothing the triggers check). */
  db: pg.Pool;
  /** Kills the processes, empties the webhooks queue, closes the pool and drops the database. */
  stop(): Promise<void>;
}

/**
 * A test database and queue prefix of their own, the compiled api and worker on them (`startApiAndWorker`,
 * with `appEnv` added to DATABASE_URL, REDIS_URL and QUEUE_PREFIX), and a pool for the test's reads. What was
 * made is taken down again when a step fails.
 */
export async function startApiAndWorkerOnTestDatabase(appEnv: Record<string, string>, tokenName: string): Promise<ApiAndWorkerOnTestDatabase> {
  const env = await createTestEnv();
  const db = new pg.Pool({ connectionString: env.database.url, max: 2 });
  const stop = async (started?: ApiAndWorker) => {
    await stopApiAndWorker(started, TEST_REDIS_URL, env.queuePrefix);
    await db.end();
    await env.teardown();
  };
  try {
    const started = await startApiAndWorker({ DATABASE_URL: env.database.url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: env.queuePrefix, ...appEnv }, tokenName);
    return { ...started, db, stop: () => stop(started) };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

/** An `issues` `opened` payload (GitHub's example) about issue `number`, with an issue id of its own. */
export function issueOpenedPayload(number: number, overrides: { title?: string } = {}): Record<string, any> {
  const payload = structuredClone(examples.find((e) => e.name === 'issues')!.examples.find((x) => x.action === 'opened')!);
  payload.issue.number = number;
  payload.issue.id = 9_000_000 + number;
  payload.issue.node_id = `I_resilience_${number}`;
  if (overrides.title !== undefined) payload.issue.title = overrides.title;
  return payload;
}

/** What the endpoint answered. */
export interface PostAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs a signed delivery to `<baseUrl>/webhooks/github`. */
export async function postDelivery(baseUrl: string, delivery: string, payload: Record<string, unknown>, event = 'issues'): Promise<PostAnswer> {
  const body = JSON.stringify(payload);
  const response = await fetch(`${baseUrl}/webhooks/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': delivery,
      'x-hub-signature-256': signWebhookBody(body, RESILIENCE_SECRET),
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * A TCP relay in front of Postgres. `refuse()` closes it (connections are refused, open ones cut:
 * Postgres stopped); `blackHole()` accepts connections and passes nothing (a partitioned network);
 * `up()` relays again.
 */
export class PostgresRelay {
  private readonly sockets = new Set<Socket>();
  private mode: 'up' | 'black-hole' = 'up';
  private server: Server | undefined;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this.port;
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'black-hole') return; // accepted, never answered
    const upstream = connect(this.target.port, this.target.host);
    this.track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private cut(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  /** Refuses connections and cuts the open ones. */
  async refuse(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.cut();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again but passes nothing (after cutting what was open). */
  async blackHole(): Promise<void> {
    this.mode = 'black-hole';
    this.cut();
    if (!this.server) await this.listen();
  }

  /** Relays again (connections opened while black-holed are cut; clients reconnect). */
  async up(): Promise<void> {
    this.mode = 'up';
    this.cut();
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.refuse();
  }
}
