import { createHash } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { limiterForToken, type RequestLimiter } from './request-limiter.js';

/** Octokit with GitHub's pagination, REST methods, throttling and retry plugins. */
export const GithubOctokit = Octokit.plugin(throttling, retry);

/** The client every sync path uses. */
export type GithubClient = InstanceType<typeof GithubOctokit>;

/** Where the client logs its waits and retries (Octokit's `log` shape; a Nest Logger fits). */
export interface GithubClientLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * GitHub's rule for a secondary rate limit answered without `retry-after`: wait at least one
 * minute before retrying (GitHub Docs, REST API, "Rate limits for the REST API" → "Handle rate
 * limit errors appropriately").
 */
export const SECONDARY_LIMIT_FALLBACK_SECONDS = 60;

/** Rate-limit retries of one request before it fails and the job is retried by the queue. */
export const DEFAULT_RATE_LIMIT_RETRIES = 3;

export interface GithubClientOptions {
  /** REST base URL (`GITHUB_API_URL`): api.github.com, GitHub Enterprise `/api/v3`, or the sim. */
  baseUrl: string;
  /** Personal access or installation token; empty for anonymous requests. */
  token?: string;
  /** Requests in flight per token in this process (`GITHUB_MAX_CONCURRENCY`; GitHub allows 100). */
  maxConcurrency: number;
  log?: GithubClientLog;
  /** Retries after a primary or secondary rate limit (default {@link DEFAULT_RATE_LIMIT_RETRIES}). */
  maxRateLimitRetries?: number;
  /**
   * Milliseconds per second of a `retry-after` or reset wait, and the unit of the retry
   * plugin's backoff (1000 in production; tests scale it down instead of waiting minutes).
   */
  retryAfterBaseValue?: number;
  /** Retries of 5xx and network errors by the retry plugin (default 3). */
  serverErrorRetries?: number;
  /**
   * The token's request budget. Default: a process-wide semaphore per token. The seam for the
   * cross-process Redis budget of issue 3.
   */
  limiter?: RequestLimiter;
  /** fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

const silentLog: GithubClientLog = { debug() {}, info() {}, warn() {}, error() {} };

const REQUEST_LINE = / - (\d{3}|undefined) with id /;

/**
 * Octokit's request-log plugin writes one `info` line per request and an `error` line for every
 * non-2xx answer, 304 Not Modified included. Those lines are debug material here: callers
 * handle 304 and 404, and report failures themselves. 5xx answers stay warnings (the retry
 * plugin retries them).
 */
function requestLogLevels(log: GithubClientLog): GithubClientLog {
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.debug(message),
    warn: (message) => log.warn(message),
    error: (message) => {
      const status = Number(REQUEST_LINE.exec(message)?.[1]);
      if (status >= 300 && status < 500) log.debug(message);
      else log.warn(message);
    },
  };
}

/**
 * A stable, non-secret key of a token on one API host: throttling state and the concurrency
 * budget are per token (GitHub's limits are per token).
 */
export function tokenKey(baseUrl: string, token: string | undefined): string {
  return createHash('sha256').update(`${baseUrl}\n${token ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * Builds the GitHub client: user agent `cambrian`, the token's concurrency budget around every
 * HTTP request (retries included), and rate-limit handling by `@octokit/plugin-throttling`:
 * a primary limit waits until `x-ratelimit-reset`, a secondary limit waits `retry-after` or at
 * least {@link SECONDARY_LIMIT_FALLBACK_SECONDS}; each wait is logged and a request is retried
 * at most `maxRateLimitRetries` times, then fails (the queue retries the job later).
 * 5xx answers are retried by `@octokit/plugin-retry`. A `304 Not Modified` answer to a
 * conditional request is thrown as a RequestError with status 304 (see {@link isNotModified}).
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const raw = options.log ?? silentLog;
  const log = requestLogLevels(raw);
  const key = tokenKey(options.baseUrl, options.token);
  const limiter = options.limiter ?? limiterForToken(key, options.maxConcurrency);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const retryAfterBaseValue = options.retryAfterBaseValue ?? 1000;
  const onLimit =
    (kind: 'primary' | 'secondary') =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < maxRetries;
      const what = `${kind} rate limit on ${request.method} ${request.url}`;
      if (retrying) raw.warn(`${what}: waiting ${retryAfter} s, retry ${retryCount + 1} of ${maxRetries}`);
      else raw.error(`${what}: giving up after ${maxRetries} retries`);
      return retrying;
    };
  return new GithubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    auth: options.token || undefined,
    userAgent: 'cambrian',
    log,
    request: {
      fetch: (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) =>
        limiter.run(() => baseFetch(input, init)),
    },
    throttle: {
      id: key,
      fallbackSecondaryRateRetryAfter: SECONDARY_LIMIT_FALLBACK_SECONDS,
      retryAfterBaseValue,
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
    },
    retry: { retries: options.serverErrorRetries ?? 3, retryAfterBaseValue },
  });
}

/** True for the `304 Not Modified` answer to a conditional request (`If-None-Match`). */
export function isNotModified(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 304;
}

/** True for a `404 Not Found` answer. */
export function isNotFound(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 404;
}

/** The HTTP status of an Octokit RequestError, or undefined for other errors. */
export function requestStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}
