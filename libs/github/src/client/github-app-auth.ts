import { createAppAuth } from '@octokit/auth-app';
import type { GithubAppCredentials } from '#libs/config';

/** The cache interface `createAppAuth` accepts (`cache` option): strings by key. */
export interface InstallationTokenCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/** {@link expiryAwareTokenCache}'s cache, which can also tell whether a token it handed out should no longer be sent. */
export interface ExpiryAwareTokenCache extends InstallationTokenCache {
  /**
   * Whether `token` should no longer be sent: this cache holds it within {@link refreshMarginMs} of its
   * expiry, or dropped it (stale, or replaced by a newer token). False for a token it holds and that is
   * current (or whose expiry it cannot read), and for a token it never held: @octokit/auth-app shares a
   * token being created among clients of the same installation, and the client whose cache holds it
   * keeps it current.
   */
  isStale(token: string): boolean;
}

/** How many dropped tokens a cache remembers for {@link ExpiryAwareTokenCache.isStale}. */
const DROPPED_TOKENS_REMEMBERED = 32;

/** Longest margin before an installation token's expiry at which it is replaced (5 minutes). */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * The margin before expiry at which a token is no longer handed out: the smaller of
 * {@link TOKEN_REFRESH_MARGIN_MS} and a quarter of its lifetime (GitHub's tokens live one hour,
 * so 5 minutes; a short-lived token of a test server gets a proportionate margin).
 */
export function refreshMarginMs(lifetimeMs: number): number {
  return Math.max(0, Math.min(TOKEN_REFRESH_MARGIN_MS, lifetimeMs / 4));
}

/**
 * An installation token cache for `@octokit/auth-app` that honours each token's `expires_at`.
 * The library's own cache keeps a token 59 minutes whatever GitHub said ("Create an installation
 * access token": tokens expire after one hour, or earlier); this one drops it once it is within
 * {@link refreshMarginMs} of its expiry, so the next request gets a fresh token before the old one
 * is refused. Values are the library's `token|createdAt|expiresAt|...` strings.
 */
export function expiryAwareTokenCache(now: () => number = Date.now): ExpiryAwareTokenCache {
  const entries = new Map<string, string>();
  /** Whether a stored value is within its refresh margin (or past its expiry). */
  const stale = (value: string): boolean => {
    const [, createdAt, expiresAt] = value.split('|');
    const created = Date.parse(createdAt);
    const expires = Date.parse(expiresAt);
    if (Number.isNaN(expires)) return false;
    const lifetime = Number.isNaN(created) ? TOKEN_REFRESH_MARGIN_MS * 4 : expires - created;
    return now() >= expires - refreshMarginMs(lifetime);
  };
  const tokenOf = (value: string) => value.split('|', 1)[0];
  const dropped = new Set<string>();
  const drop = (token: string) => {
    dropped.add(token);
    if (dropped.size > DROPPED_TOKENS_REMEMBERED) dropped.delete(dropped.values().next().value!);
  };
  return {
    get(key) {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      if (stale(value)) {
        entries.delete(key);
        drop(tokenOf(value));
        return undefined;
      }
      return value;
    },
    set(key, value) {
      const previous = entries.get(key);
      if (previous !== undefined && tokenOf(previous) !== tokenOf(value)) drop(tokenOf(previous));
      entries.set(key, value);
    },
    isStale(token) {
      for (const value of entries.values()) if (tokenOf(value) === token) return stale(value);
      return dropped.has(token);
    },
  };
}

/**
 * A stable, non-secret identity of an App installation for the request budget: installation
 * tokens change every hour, but GitHub's rate limit belongs to the installation.
 */
export function installationBudgetIdentity(app: Pick<GithubAppCredentials, 'appId' | 'installationId'>): string {
  return `github-app:${app.appId}:installation:${app.installationId}`;
}

/**
 * Octokit constructor options that authenticate as the App installation (`@octokit/auth-app`),
 * caching its installation tokens in `cache`.
 */
export function appAuthOptions(
  app: GithubAppCredentials,
  cache: InstallationTokenCache = expiryAwareTokenCache(),
): { authStrategy: typeof createAppAuth; auth: Record<string, unknown> } {
  return {
    authStrategy: createAppAuth,
    auth: { appId: app.appId, privateKey: app.privateKey, installationId: app.installationId, cache },
  };
}

/** Raised when GitHub refuses the App's credentials; the message names the variable or stored credential to check. */
export class GithubAppAuthError extends Error {
  readonly code = 'GITHUB_APP_AUTH';

  constructor(
    message: string,
    /** The HTTP status GitHub answered (401, 404). */
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GithubAppAuthError';
  }
}

const ACCESS_TOKENS = /\/app\/installations\/(?:\d+|\{installation_id\})\/access_tokens(?:\?|$)/;

/**
 * How refusal messages name where an App's private key and installation id come from, so that the
 * operator is sent to the right place: the environment (`GITHUB_APP_*`) or a stored credential.
 */
export interface AppCredentialSource {
  /** What holds the private key, e.g. `GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE)`. */
  privateKey: string;
  /** What holds the installation id, e.g. `GITHUB_APP_INSTALLATION_ID`. */
  installation: string;
  /** What to do about it, e.g. `check that ... and the machine's clock`. */
  remedy: string;
}

/** The environment's App (`GITHUB_APP_ID`, `GITHUB_APP_PRIVATE_KEY[_FILE]`, `GITHUB_APP_INSTALLATION_ID`). */
export function environmentAppSource(app: Pick<GithubAppCredentials, 'appId'>): AppCredentialSource {
  return {
    privateKey: `GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE)`,
    installation: 'GITHUB_APP_INSTALLATION_ID',
    remedy: `is a current private key of the App GITHUB_APP_ID=${app.appId}, and the machine's clock`,
  };
}

/** An App stored for an ecosystem (`setGithubApp`, `GithubCredentialService.setApp`). */
export function storedAppSource(ecosystemId: number): AppCredentialSource {
  return {
    privateKey: `the GitHub App private key stored for ecosystem ${ecosystemId}`,
    installation: `the installation id stored for ecosystem ${ecosystemId}`,
    remedy: `is a current private key of that App (store it again with setGithubApp), and the machine's clock`,
  };
}

/**
 * Turns GitHub's refusal to create an installation token into a {@link GithubAppAuthError} that
 * says what to check, naming `source` (default: the environment's variables); other errors are
 * returned unchanged.
 */
export function explainAppAuthError(
  error: unknown,
  app: Pick<GithubAppCredentials, 'appId' | 'installationId'>,
  source: AppCredentialSource = environmentAppSource(app),
): unknown {
  const failed = error as { status?: unknown; message?: unknown; request?: { url?: unknown } } | null;
  const url = typeof failed?.request?.url === 'string' ? failed.request.url : '';
  if (!ACCESS_TOKENS.test(url)) return error;
  const answer = `${String(failed?.status)}: ${String(failed?.message ?? '')}`;
  if (failed?.status === 401) {
    return new GithubAppAuthError(
      `GitHub refused the JSON web token of GitHub App ${app.appId} (${answer}); check that ${source.privateKey} ${source.remedy}`,
      401,
      { cause: error },
    );
  }
  if (failed?.status === 404) {
    return new GithubAppAuthError(
      `GitHub App ${app.appId} has no installation ${app.installationId} (${answer}); check ${source.installation}`,
      404,
      { cause: error },
    );
  }
  return error;
}
