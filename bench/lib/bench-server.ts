/**
 * A server process for benchmarks, started with `fork()` so that autocannon (in the parent)
 * and the server under test do not share an event loop:
 *
 *   bare  a Fastify hello-world `POST /webhooks/github` (JSON body parsed, `{"hello":"world"}`)
 *   api   the real apps/api (createApiApp from dist), configured by the inherited environment
 *
 * The child reports `{ port }` over IPC once it listens and exits after a `stop` message.
 */
import Fastify from 'fastify';
import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Which server a child runs. */
export type BenchServerKind = 'bare' | 'api';

/** A running server child. */
export interface BenchServer {
  url: string;
  /** The child's process id (its CPU time: process-usage.ts). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Rate limits of the api, off: a benchmark loads it from one address, and measures its throughput,
 * not its limits (`RATE_LIMIT_*` set in `env` still win).
 */
const RATE_LIMITS_OFF = { RATE_LIMIT_GRAPHQL_PER_IP: 'off', RATE_LIMIT_GRAPHQL_PER_TOKEN: 'off', RATE_LIMIT_WEBHOOK_PER_IP: 'off' };

/** Starts a server child and resolves once it listens on 127.0.0.1 (a free port); the api without rate limits. */
export function startBenchServer(kind: BenchServerKind, serverEnv: NodeJS.ProcessEnv): Promise<BenchServer> {
  const env: NodeJS.ProcessEnv = { ...RATE_LIMITS_OFF, ...serverEnv };
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of each server child there (open it in Chrome DevTools)
  const execArgv = env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${env.BENCH_PROFILE}`] : [];
  const child = fork(fileURLToPath(import.meta.url), [kind], { env, execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code} before listening`)));
    child.once('message', (message: { port: number }) => {
      child.removeAllListeners('exit');
      resolve({ url: `http://127.0.0.1:${message.port}`, pid: child.pid!, stop: () => stopChild(child) });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send({ type: 'stop' });
  });
}

async function serve(kind: BenchServerKind): Promise<void> {
  let close: () => Promise<unknown>;
  let port: number;
  if (kind === 'bare') {
    const app = Fastify({ logger: false, bodyLimit: 25 * 1024 * 1024 });
    app.post('/webhooks/github', async (_request, reply) => reply.status(202).send({ hello: 'world' }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    close = () => app.close();
  } else {
    const { createApiApp } = await import('../../apps/api/src/bootstrap.js');
    const app = await createApiApp({ logger: false });
    await app.listen(0, '127.0.0.1');
    port = Number(new URL(await app.getUrl()).port);
    close = () => app.close();
  }
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'stop') void close().finally(() => process.exit(0));
  });
  process.send!({ port });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const kind = process.argv[2] as BenchServerKind;
  serve(kind).catch((error: unknown) => {
    console.error(`[bench ${kind} server]`, error);
    process.exit(1);
  });
}
