import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimGithubAppOptions } from './http/github-app.js';
import { loadSnapshot, summarizeSnapshot } from './seed/build-snapshot.js';
import { DEFAULT_SIM_OAUTH_CLIENT, type SimOauthOptions } from './oauth/sim-oauth.js';
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
  /** A GitHub App (`SIM_GITHUB_APP_*`), when configured. */
  githubApp?: SimGithubAppOptions;
  /** The OAuth app (`SIM_OAUTH_*`; default client DEFAULT_SIM_OAUTH_CLIENT). */
  oauth: SimOauthOptions;
}

/**
 * Reads the sim's OAuth app: `SIM_OAUTH_CLIENT_ID` and `SIM_OAUTH_CLIENT_SECRET` (default DEFAULT_SIM_OAUTH_CLIENT),
 * `SIM_OAUTH_CALLBACK_URL` (the registered callback; unset: any redirect_uri) and `SIM_OAUTH_LOGIN` (the user signed
 * in without a page; unset: a page to pick one).
 */
export function readSimOauth(env: NodeJS.ProcessEnv): SimOauthOptions | { error: string } {
  const callbackUrl = env.SIM_OAUTH_CALLBACK_URL?.trim() || undefined;
  if (callbackUrl && !URL.canParse(callbackUrl)) return { error: `SIM_OAUTH_CALLBACK_URL must be an absolute URL, got "${env.SIM_OAUTH_CALLBACK_URL}"` };
  const client = {
    clientId: env.SIM_OAUTH_CLIENT_ID?.trim() || DEFAULT_SIM_OAUTH_CLIENT.clientId,
    clientSecret: env.SIM_OAUTH_CLIENT_SECRET?.trim() || DEFAULT_SIM_OAUTH_CLIENT.clientSecret,
    ...(callbackUrl ? { callbackUrl } : {}),
  };
  const defaultLogin = env.SIM_OAUTH_LOGIN?.trim() || undefined;
  return { clients: [client], ...(defaultLogin ? { defaultLogin } : {}) };
}

/**
 * Reads the optional GitHub App of the sim: `SIM_GITHUB_APP_ID`, `SIM_GITHUB_APP_PUBLIC_KEY_FILE` (PEM of
 * the App's public key, or of its private key), `SIM_GITHUB_APP_INSTALLATIONS` (`id:account` pairs,
 * comma-separated, e.g. `4711:BlinkDL,4712:RWKV`) and `SIM_GITHUB_APP_TOKEN_TTL_SECONDS` (default 3600).
 * Returns null when `SIM_GITHUB_APP_ID` is unset, or an error naming the variable.
 */
export function readSimGithubApp(env: NodeJS.ProcessEnv): SimGithubAppOptions | null | { error: string } {
  const rawId = env.SIM_GITHUB_APP_ID?.trim();
  if (!rawId) return null;
  if (!/^\d+$/.test(rawId) || Number(rawId) < 1) return { error: `SIM_GITHUB_APP_ID must be a positive integer, got "${env.SIM_GITHUB_APP_ID}"` };
  const keyFile = env.SIM_GITHUB_APP_PUBLIC_KEY_FILE?.trim();
  if (!keyFile) return { error: 'SIM_GITHUB_APP_PUBLIC_KEY_FILE is required with SIM_GITHUB_APP_ID (PEM of the App key)' };
  let publicKey: string;
  try {
    publicKey = readFileSync(keyFile, 'utf8');
  } catch (error) {
    return { error: `SIM_GITHUB_APP_PUBLIC_KEY_FILE: cannot read ${keyFile}: ${(error as Error).message}` };
  }
  const installations: Array<{ id: number; account: string }> = [];
  for (const pair of (env.SIM_GITHUB_APP_INSTALLATIONS ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const match = /^(\d+):([A-Za-z0-9-]+)$/.exec(pair);
    if (!match) return { error: `SIM_GITHUB_APP_INSTALLATIONS: "${pair}" is not id:account (e.g. 4711:BlinkDL)` };
    installations.push({ id: Number(match[1]), account: match[2] });
  }
  if (installations.length === 0) return { error: 'SIM_GITHUB_APP_INSTALLATIONS is required with SIM_GITHUB_APP_ID (e.g. 4711:BlinkDL)' };
  const rawTtl = env.SIM_GITHUB_APP_TOKEN_TTL_SECONDS?.trim() || '3600';
  if (!/^\d+$/.test(rawTtl) || Number(rawTtl) < 1) {
    return { error: `SIM_GITHUB_APP_TOKEN_TTL_SECONDS must be a positive integer (seconds), got "${env.SIM_GITHUB_APP_TOKEN_TTL_SECONDS}"` };
  }
  return { appId: Number(rawId), publicKey, installations, tokenTtlSeconds: Number(rawTtl) };
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
  const githubApp = readSimGithubApp(env);
  if (githubApp && 'error' in githubApp) return githubApp;
  const oauth = readSimOauth(env);
  if ('error' in oauth) return oauth;
  return { port, dataDir, rateLimit: Number(rawLimit), rateLimitWindowSeconds: Number(rawWindow), ...(githubApp ? { githubApp } : {}), oauth };
}

async function main(): Promise<void> {
  const settings = readSimEnv(process.env, projectRoot());
  if ('error' in settings) {
    console.error(`github-sim: ${settings.error}`);
    process.exit(1);
  }
  const snapshot = await loadSnapshot(settings.dataDir);
  const sim = await createGithubSim({
    snapshot,
    port: settings.port,
    rateLimit: { limit: settings.rateLimit, windowSeconds: settings.rateLimitWindowSeconds },
    githubApp: settings.githubApp,
    oauth: settings.oauth,
  });
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
