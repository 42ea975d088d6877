import { randomBytes } from 'node:crypto';
import type { Account } from '../seed/accounts.js';

/** One registered OAuth app of the sim (GitHub: Settings → Developer settings → OAuth Apps). */
export interface SimOauthClient {
  clientId: string;
  clientSecret: string;
  /**
   * The registered "Authorization callback URL". GitHub accepts a `redirect_uri` on the same host and port whose
   * path is this path or below it; absent: any `redirect_uri` is accepted.
   */
  callbackUrl?: string;
}

/** Options of the sim's OAuth web application flow. */
export interface SimOauthOptions {
  clients: SimOauthClient[];
  /** Login signed in by `/login/oauth/authorize` when the request names none; absent: a page to pick one. */
  defaultLogin?: string;
  /** Lifetime of an authorization code, seconds; GitHub: 10 minutes. */
  codeTtlSeconds?: number;
}

/** The client every sim knows unless told otherwise (local runs and tests); Cambrian's DEVELOPMENT_GITHUB_OAUTH_CLIENT. */
export const DEFAULT_SIM_OAUTH_CLIENT: SimOauthClient = { clientId: 'cambrian-local', clientSecret: 'cambrian-local-secret' };

/** GitHub's token-exchange error codes ("Troubleshooting OAuth App access token request errors"). */
export type OauthTokenErrorCode = 'incorrect_client_credentials' | 'redirect_uri_mismatch' | 'bad_verification_code';

/** GitHub's error answer to `POST /login/oauth/access_token` (sent with status 200, as GitHub does). */
export interface OauthTokenError {
  error: OauthTokenErrorCode;
  error_description: string;
  error_uri: string;
}

const TROUBLESHOOTING = 'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors';

const TOKEN_ERRORS: Record<OauthTokenErrorCode, string> = {
  incorrect_client_credentials: 'The client_id and/or client_secret passed are incorrect.',
  redirect_uri_mismatch: 'The redirect_uri MUST match the registered callback URL for this application.',
  bad_verification_code: 'The code passed is incorrect or expired.',
};

function tokenError(code: OauthTokenErrorCode): OauthTokenError {
  return { error: code, error_description: TOKEN_ERRORS[code], error_uri: `${TROUBLESHOOTING}/#${code.replace(/_/g, '-')}` };
}

interface IssuedCode {
  clientId: string;
  redirectUri: string | undefined;
  account: Account;
  scope: string;
  expiresAt: number;
}

/** An access token the sim issued: who it authenticates as and with what scopes. */
export interface SimUserToken {
  account: Account;
  scope: string;
}

/**
 * The sim's OAuth app state: registered clients, authorization codes (single use, expire after `codeTtlSeconds`)
 * and the user access tokens issued for them (`gho_…`, GitHub's prefix for OAuth access tokens). Codes and tokens
 * live in memory only.
 */
export class SimOauth {
  private readonly clients = new Map<string, SimOauthClient>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, SimUserToken>();
  readonly defaultLogin: string | undefined;
  private readonly codeTtlMs: number;

  constructor(options: SimOauthOptions, private readonly now: () => number) {
    for (const client of options.clients) this.clients.set(client.clientId, client);
    this.defaultLogin = options.defaultLogin;
    this.codeTtlMs = (options.codeTtlSeconds ?? 600) * 1000;
  }

  /** The registered client with this id, or undefined. */
  client(clientId: string | undefined): SimOauthClient | undefined {
    return clientId === undefined ? undefined : this.clients.get(clientId);
  }

  /**
   * GitHub's redirect URL rule: the registered callback's host and port, and a path equal to or below its path.
   * Without a registered callback any absolute http(s) URL is accepted.
   */
  redirectAllowed(client: SimOauthClient, redirectUri: string): boolean {
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return false;
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return false;
    if (!client.callbackUrl) return true;
    const registered = new URL(client.callbackUrl);
    if (target.host !== registered.host || target.protocol !== registered.protocol) return false;
    const base = registered.pathname.replace(/\/$/, '');
    return target.pathname === registered.pathname || target.pathname.startsWith(`${base}/`);
  }

  /** Issues an authorization code for `account` (20 hex characters, as GitHub's). */
  issueCode(clientId: string, redirectUri: string | undefined, account: Account, scope: string): string {
    const code = randomBytes(10).toString('hex');
    this.codes.set(code, { clientId, redirectUri, account, scope, expiresAt: this.now() + this.codeTtlMs });
    return code;
  }

  /**
   * Exchanges a code for a user access token. The code is consumed by the first exchange that names it with the
   * right client, whatever the outcome, so a replayed code is `bad_verification_code` (GitHub: a code can be used
   * once and expires after 10 minutes).
   */
  exchange(input: { clientId?: string; clientSecret?: string; code?: string; redirectUri?: string }): { access_token: string; token_type: 'bearer'; scope: string } | OauthTokenError {
    const client = this.client(input.clientId);
    if (!client || client.clientSecret !== input.clientSecret) return tokenError('incorrect_client_credentials');
    const issued = input.code === undefined ? undefined : this.codes.get(input.code);
    if (!issued || issued.clientId !== client.clientId) return tokenError('bad_verification_code');
    this.codes.delete(input.code!);
    if (issued.expiresAt <= this.now()) return tokenError('bad_verification_code');
    if (issued.redirectUri !== undefined && input.redirectUri !== undefined && input.redirectUri !== issued.redirectUri) {
      return tokenError('redirect_uri_mismatch');
    }
    const token = `gho_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
    this.tokens.set(token, { account: issued.account, scope: issued.scope });
    return { access_token: token, token_type: 'bearer', scope: issued.scope };
  }

  /** The user an issued access token authenticates as, or undefined for any other token. */
  tokenUser(token: string | null): SimUserToken | undefined {
    return token === null ? undefined : this.tokens.get(token);
  }
}
