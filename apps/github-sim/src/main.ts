import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSnapshot, summarizeSnapshot } from './seed/build-snapshot.js';
import { createGithubSim } from './server.js';

/** The project root: the nearest folder above this file holding package.json (works from src and dist). */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the project root (no package.json above github-sim)');
    dir = parent;
  }
  return dir;
}

/** Typed start-up settings from the environment. */
export interface SimEnv {
  port: number;
  dataDir: string;
  /** Core requests per token per window (anonymous clients keep GitHub's 60). */
  rateLimit: number;
  /** Length of a primary rate-limit window in seconds (GitHub: 3600). */
  rateLimitWindowSeconds: number;
}

/**
 * Reads `SIM_PORT` (default 3100; 0 picks a free port), `SIM_RATE_LIMIT` (core requests per token per hour,
 * default 5000 as on GitHub; raise it for benchmarks), `SIM_RATE_LIMIT_WINDOW_SECONDS` (the window those requests
 * refill over, default 3600 as on GitHub) and `CAMBRIAN_DATA_DIR` (resolved against the project root,
 * default `../shared/data/rwkv`). Returns an error message naming the variable when one is malformed or the data
 * directory has no `_export_meta.jsonl`.
 */
export function readSimEnv(env: NodeJS.ProcessEnv, root: string): SimEnv | { error: string } {
  const rawPort = env.SIM_PORT?.trim() || '3100';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) return { error: `SIM_PORT must be a TCP port number (0-65535), got "${env.SIM_PORT}"` };
  const rawLimit = env.SIM_RATE_LIMIT?.trim() || '5000';
  if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1) return { error: `SIM_RATE_LIMIT must be a positive integer, got "${env.SIM_RATE_LIMIT}"` };
  const rawWindow = env.SIM_RATE_LIMIT_WINDOW_SECONDS?.trim() || '3600';
  if (!/^\d+$/.test(rawWindow) || Number(rawWindow) < 1) {
    return { error: `SIM_RATE_LIMIT_WINDOW_SECONDS must be a positive integer (seconds), got "${env.SIM_RATE_LIMIT_WINDOW_SECONDS}"` };
  }
  const dataDir = resolve(root, env.CAMBRIAN_DATA_DIR || '../shared/data/rwkv');
  if (!existsSync(join(dataDir, '_export_meta.jsonl'))) {
    return { error: `CAMBRIAN_DATA_DIR: no RWKV export at ${dataDir} (expected _export_meta.jsonl there); set CAMBRIAN_DATA_DIR to the data directory, e.g. ../shared/data/rwkv` };
  }
  return { port, dataDir, rateLimit: Number(rawLimit), rateLimitWindowSeconds: Number(rawWindow) };
}

async function main(): Promise<void> {
  const settings = readSimEnv(process.env, projectRoot());
  if ('error' in settings) {
    console.error(`github-sim: ${settings.error}`);
    process.exit(1);
  }
  const snapshot = await loadSnapshot(settings.dataDir);
  const sim = await createGithubSim({ snapshot, port: settings.port, rateLimit: { limit: settings.rateLimit, windowSeconds: settings.rateLimitWindowSeconds } });
  const s = summarizeSnapshot(snapshot);
  process.stdout.write(`github-sim listening on ${sim.url}\n`);
  process.stdout.write(
    `github-sim: ${s.repositories} repositories, ${s.commits} commits, ${s.pullRequests} pull requests, ${s.generatedIssues} generated issues (data: ${settings.dataDir})\n`,
  );
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`github-sim: ${signal}, closing\n`);
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('github-sim: error while closing', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

// Run only as the entry point, so tests can import readSimEnv without starting a server.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error('github-sim: failed to start:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
