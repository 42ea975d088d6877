import { createHash } from 'node:crypto';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type { GithubAppCredentials } from '#libs/config';
import { appAuthOptions, expiryAwareTokenCache, explainAppAuthError, installationBudgetIdentity, type AppCredentialSource } from './github-app-auth.js';
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
  /** Personal access or installation token; empty for anonymous requests. Exclusive with `app`. */
  token?: string;
  /**
   * Authenticate as this GitHub App installation (`@octokit/auth-app`): installation tokens are
   * created on demand and replaced before they expire; the budget is keyed by the installation.
   */
  app?: GithubAppCredentials;
  /**
   * Where `app` comes from, for the message of a refusal (default: the environment's
   * `GITHUB_APP_*` variables; a stored App names its ecosystem's credential instead).
   */
  appSource?: AppCredentialSource;
  /** Clock of the installation token cache (tests). */
  now?: () => number;
  /** Requests in flight per token in this process (`GITHUB_MAX_CONCURRENCY`; GitHub allows 100). */
  maxConcurrency: number;
  log?: GithubClientLog;
  /** Retries after a primary or secondary rate limit (default {@link DEFAULT_RATE_LIMIT_RETRIES}). */
  maxRateLimitRetries?: number;
  /**
   * Milliseconds per second of a `retry-after` or reset wait, and the unit of the retry
   * plugin's backoff (1000 in production; tests scale it down instead of waiting minutes).
   * A limiter with `observe` (the Redis token budget) must be built with the same scale.
   */
  retryAfterBaseValue?: number;
  /** Retries of 5xx and network errors by the retry plugin (default 3). */
  serverErrorRetries?: number;
  /**
   * The token's request budget. Default: a process-wide semaphore per token. The application
   * passes a `RedisTokenBudget` (shared by every process; pauses the token after rate limits).
   */
  limiter?: RequestLimiter;
  /** fetch implementation (default: the global one). */
  fetch?: typeof fetch;
  /**
   * Called with every HTTP answer (retries included) before the budget sees it, or with `'error'`
   * when no answer came (network failure); for metrics (`cambrian_github_requests_total`). Must not throw.
   */
  onResponse?: (status: number | 'error', headers?: Headers) => void;
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
 * The budget key of the client's identity: the App installation when there is one (its tokens
 * change every hour, its rate limit does not), else the token.
 */
export function budgetKey(baseUrl: string, auth: { token?: string; app?: Pick<GithubAppCredentials, 'appId' | 'installationId'> | null }): string {
  return tokenKey(baseUrl, auth.app ? installationBudgetIdentity(auth.app) : auth.token);
}

/** The error message of a 403/429 answer body (`{"message": ...}`), read from a buffered body. */
function errorMessage(body: string): string | undefined {
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message;
    return typeof message === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the GitHub client: user agent `cambrian`, the token's budget around every HTTP request
 * (retries included), and rate-limit handling shared by `@octokit/plugin-throttling` and the
 * budget:
 * - the plugin decides whether a request that met a primary or secondary limit is retried (at
 *   most `maxRateLimitRetries` times; each wait is logged). Its in-process concurrency group is
 *   replaced by one of `maxConcurrency` (its default of 10 would otherwise cap the config);
 * - with a pausing budget (`limiter.observe`, the Redis budget) the budget does the waiting: every
 *   answer is read before its slot is released, a rate limit pauses every request of the token in
 *   every process (skew-free, see rate-limit-headers.ts), and the plugin retries at once into that
 *   pause (`retryAfterBaseValue: 0` for the plugin). The plugin alone would only delay the one
 *   request that was limited (octokit/plugin-throttling.js #629, case S1) and measures resets on
 *   the local clock;
 * - with a plain semaphore the plugin waits itself (`retry-after`, at least
 *   {@link SECONDARY_LIMIT_FALLBACK_SECONDS}, or until `x-ratelimit-reset`).
 * 5xx answers are retried by `@octokit/plugin-retry`. A `304 Not Modified` answer to a
 * conditional request is thrown as a RequestError with status 304 (see {@link isNotModified}).
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const raw = options.log ?? silentLog;
  const log = requestLogLevels(raw);
  if (options.app && options.token) throw new Error('createGithubClient: give a token or a GitHub App installation, not both');
  const key = budgetKey(options.baseUrl, options);
  const limiter = options.limiter ?? limiterForToken(key, options.maxConcurrency);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES;
  const retryAfterBaseValue = options.retryAfterBaseValue ?? 1000;
  const budgetWaits = typeof limiter.observe === 'function';
  const onLimit =
    (kind: 'primary' | 'secondary') =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < maxRetries;
      const what = `${kind} rate limit on ${request.method} ${request.url}`;
      if (!retrying) raw.error(`${what}: giving up after ${maxRetries} retries`);
      else if (budgetWaits) raw.warn(`${what}: retry ${retryCount + 1} of ${maxRetries} once the token's pause ends`);
      else raw.warn(`${what}: waiting ${retryAfter} s, retry ${retryCount + 1} of ${maxRetries}`);
      return retrying;
    };
  const onResponse = options.onResponse;
  const observedFetch: typeof fetch = !onResponse
    ? baseFetch
    : async (input, init) => {
        let response: Response;
        try {
          response = await baseFetch(input, init);
        } catch (error) {
          onResponse('error');
          throw error;
        }
        onResponse(response.status, response.headers);
        return response;
      };
  const tokenCache = options.app ? expiryAwareTokenCache(options.now) : undefined;
  /** Sends one request in a slot of the budget; STALE_TOKEN, unsent, when `checkToken` finds its installation token stale. */
  const sendInSlot = (input: Parameters<typeof fetch>[0], init: Parameters<typeof fetch>[1], checkToken: boolean) =>
    limiter.run(async (): Promise<Response | typeof STALE_TOKEN> => {
      if (checkToken && tokenCache!.isStale(installationTokenOf(init)!)) return STALE_TOKEN;
      const response = await observedFetch(input, init);
      if (!budgetWaits) return response;
      const limited = response.status === 403 || response.status === 429;
      const release = limited ? limiter.hold?.() : undefined; // until the pause is known
      try {
        // the whole body is read inside the slot, so a slot is free only once the server is done
        const body = response.status === 204 || response.status === 304 ? null : await response.arrayBuffer();
        const message = limited ? errorMessage(new TextDecoder().decode(body ?? new ArrayBuffer(0))) : undefined;
        await limiter.observe!(response.status, response.headers, message);
        return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
      } finally {
        release?.();
      }
    });
  // @octokit/auth-app attaches an installation token before the request waits for its slot, and a
  // slot can take as long as a rate-limit pause: a token that came within its refresh margin
  // meanwhile is replaced, outside the slot (getting a token is a request of its own), and the
  // request waits again. Once only: a token stale on arrival is sent as it is.
  const fetchThroughBudget = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const checkToken = tokenCache !== undefined && installationTokenOf(init) !== undefined;
    const first = await sendInSlot(input, init, checkToken);
    if (first !== STALE_TOKEN) return first;
    // a token that cannot be had (installation suspended, key revoked) leaves the request to go out as it
    // was, so that GitHub's own answer reaches the 401 hook and its explanation
    const token = await client.auth({ type: 'installation' }).then(
      (authentication) => (authentication as { token: string }).token,
      (error: unknown) => {
        raw.warn(`GitHub App ${options.app!.appId}: no new installation token for a request whose token went stale in the queue (${String(error)}); sent as it was`);
        return undefined;
      },
    );
    if (token) log.debug(`installation token of GitHub App ${options.app!.appId} came within its refresh margin while a request waited for its slot: sent with a new one`);
    const headers = token ? { ...(init?.headers as Record<string, string>), authorization: `token ${token}` } : init?.headers;
    return (await sendInSlot(input, { ...init, headers }, false)) as Response;
  };
  // `global` replaces the plugin's process-wide group (maxConcurrent 10, shared by every client of
  // the process); the plugin reads it from its options although its type does not list it
  const throttle = {
    id: key,
    global: new Bottleneck.Group({ id: `cambrian-global-${key}`, maxConcurrent: options.maxConcurrency, timeout: 2 * 60 * 1000 }),
    fallbackSecondaryRateRetryAfter: SECONDARY_LIMIT_FALLBACK_SECONDS,
    retryAfterBaseValue: budgetWaits ? 0 : retryAfterBaseValue,
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
  };
  const client = new GithubOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.app ? appAuthOptions(options.app, tokenCache) : { auth: options.token || undefined }),
    userAgent: 'cambrian',
    log,
    request: { fetch: fetchThroughBudget },
    throttle,
    retry: { retries: options.serverErrorRetries ?? 3, retryAfterBaseValue, doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451] },
  });
  const app = options.app;
  if (app) {
    client.hook.error('request', async (error, request) => {
      const explained = explainAppAuthError(error, app, options.appSource);
      if (explained !== error) throw explained;
      // an installation token refused before its expiry (revoked, or the clocks disagree): replace
      // it once and send the request again; @octokit/auth-app only retries tokens younger than 5 s.
      // The mark travels in the `request` options, which Octokit keeps through its merges.
      const marks = (request.request ?? {}) as Record<string, unknown>;
      if (requestStatus(error) === 401 && !marks.cambrianTokenRetried) {
        raw.warn(`GitHub answered 401 to an installation token of GitHub App ${app.appId}: requesting a new token and retrying once`);
        await client.auth({ type: 'installation', refresh: true });
        const again = { ...request, request: { ...marks, cambrianTokenRetried: true } };
        return client.request(again as unknown as Parameters<typeof client.request>[0]);
      }
      throw error;
    });
  }
  return client;
}

/** What the client's budget answers, instead of sending, for a request whose installation token went stale in the queue. */
const STALE_TOKEN = Symbol('stale installation token');

/**
 * The token a request carries as `authorization: token …` (on an App's client, its installation
 * token: @octokit/auth-app sets it so, on plain-object headers), or undefined when it carries none or
 * the App's own JWT (`bearer …`, on the endpoints that take it).
 */
function installationTokenOf(init: Parameters<typeof fetch>[1]): string | undefined {
  const authorization = (init?.headers as Record<string, string> | undefined)?.authorization;
  return authorization?.startsWith('token ') ? authorization.slice('token '.length) : undefined;
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
