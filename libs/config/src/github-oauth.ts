import type { CambrianConfig } from './config.schema.js';

/** The OAuth client of local runs: the one the GitHub simulator registers by default (public, never used in production). */
export const DEVELOPMENT_GITHUB_OAUTH_CLIENT = { clientId: 'cambrian-local', clientSecret: 'cambrian-local-secret' } as const;

/** The OAuth app sign-in uses. */
export interface GithubOauthSettings {
  clientId: string;
  clientSecret: string;
  /** Origin (and path prefix) of `/login/oauth/*`. */
  baseUrl: string;
}

/**
 * The OAuth app of sign-in: GITHUB_OAUTH_CLIENT_ID/_SECRET, or outside production the simulator's
 * {@link DEVELOPMENT_GITHUB_OAUTH_CLIENT}; null (sign-in off) in production without both. The base URL is
 * GITHUB_OAUTH_BASE_URL, else derived from GITHUB_API_URL as `@octokit/oauth-methods` derives it.
 */
export function githubOauthSettings(
  config: Pick<CambrianConfig, 'NODE_ENV' | 'GITHUB_API_URL' | 'GITHUB_OAUTH_CLIENT_ID' | 'GITHUB_OAUTH_CLIENT_SECRET' | 'GITHUB_OAUTH_BASE_URL'>,
): GithubOauthSettings | null {
  const configured = config.GITHUB_OAUTH_CLIENT_ID !== '' && config.GITHUB_OAUTH_CLIENT_SECRET !== '';
  if (!configured && config.NODE_ENV === 'production') return null;
  const client = configured ? { clientId: config.GITHUB_OAUTH_CLIENT_ID, clientSecret: config.GITHUB_OAUTH_CLIENT_SECRET } : DEVELOPMENT_GITHUB_OAUTH_CLIENT;
  return { ...client, baseUrl: config.GITHUB_OAUTH_BASE_URL ?? oauthBaseUrlFor(config.GITHUB_API_URL) };
}

/** `https://api.github.com` → `https://github.com`; `https://host/api/v3` → `https://host`; anything else unchanged. */
export function oauthBaseUrlFor(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/(api\.)?github\.com$/.test(trimmed)) return 'https://github.com';
  return trimmed.replace(/\/api\/v3$/, '');
}
