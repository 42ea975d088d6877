import { Inject, Injectable } from '@nestjs/common';
import { exchangeWebFlowCode, getWebFlowAuthorizationUrl } from '@octokit/oauth-methods';
import { request as octokitRequest } from '@octokit/request';
import { RequestError } from '@octokit/request-error';
import { AuthException, AuthExceptionCode, SessionService, type AuthSession, type SessionRole } from '#libs/auth';
import { CAMBRIAN_CONFIG, githubOauthSettings, type CambrianConfig, type GithubOauthSettings } from '#libs/config';
import { IdentityService } from '#libs/members';

/** Scopes asked of GitHub: the public profile is enough to know who signs in (GitHub Docs, "Scopes for OAuth apps"). */
export const SIGN_IN_SCOPES = ['read:user'];

/** A completed sign-in: the new session and its secret (the cookie's value, shown once). */
export interface SignedIn {
  session: AuthSession;
  secret: string;
}

/**
 * GitHub OAuth sign-in (GitHub Docs, "Authorizing OAuth apps", web application flow): builds the
 * authorize URL, exchanges the code (Octokit's `@octokit/oauth-methods`), reads `GET /user`, links the
 * account to its member through {@link IdentityService} (an unknown account gets a member as sync
 * would create it) and opens a session. ADMIN_GITHUB_LOGINS decides the role at sign-in.
 */
@Injectable()
export class GithubSignInService {
  private readonly oauth: GithubOauthSettings | null;

  constructor(
    private readonly identities: IdentityService,
    private readonly sessions: SessionService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {
    this.oauth = githubOauthSettings(config);
  }

  /** True when sign-in has an OAuth app (see `githubOauthSettings`: always outside production). */
  get enabled(): boolean {
    return this.oauth !== null;
  }

  private app(): GithubOauthSettings {
    if (!this.oauth) throw new AuthException('Sign-in is off: set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET', AuthExceptionCode.UNAUTHENTICATED);
    return this.oauth;
  }

  /** The URL to send the browser to; `login` is GitHub's optional account suggestion. */
  authorizeUrl(input: { state: string; redirectUrl: string; login?: string }): string {
    const app = this.app();
    return getWebFlowAuthorizationUrl({
      clientType: 'oauth-app',
      clientId: app.clientId,
      redirectUrl: input.redirectUrl,
      state: input.state,
      scopes: SIGN_IN_SCOPES,
      ...(input.login ? { login: input.login } : {}),
      request: octokitRequest.defaults({ baseUrl: app.baseUrl }),
    }).url;
  }

  /**
   * Exchanges `code`, reads the user, links the member and opens a session.
   * @throws AuthException UNAUTHENTICATED when GitHub refuses the code (replayed, expired, foreign) or the token.
   */
  async complete(input: { code: string; redirectUrl: string }): Promise<SignedIn> {
    const app = this.app();
    let token: string;
    try {
      const { authentication } = await exchangeWebFlowCode({
        clientType: 'oauth-app',
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        code: input.code,
        redirectUrl: input.redirectUrl,
        request: octokitRequest.defaults({ baseUrl: app.baseUrl }),
      });
      token = authentication.token;
    } catch (error) {
      if (error instanceof RequestError && error.status < 500) {
        throw new AuthException(`GitHub refused the sign-in code: ${error.message}`, AuthExceptionCode.UNAUTHENTICATED);
      }
      throw error;
    }
    const { data: user } = await octokitRequest('GET /user', {
      baseUrl: this.config.GITHUB_API_URL,
      headers: { authorization: `token ${token}` },
    });
    const accountId = Number(user.id);
    const resolved = await this.identities.resolve({
      kind: 'github',
      account: { id: accountId, login: user.login, type: user.type, name: user.name ?? null, avatar_url: user.avatar_url },
    });
    if (!resolved) throw new AuthException('GitHub answered no account for the sign-in', AuthExceptionCode.UNAUTHENTICATED);
    // a session would store the login again; the person asked for their data to be deleted
    if (resolved.erased) {
      throw new AuthException(
        "This GitHub account's data was deleted from Cambrian at its owner's request; it cannot sign in",
        AuthExceptionCode.FORBIDDEN,
      );
    }
    const role: SessionRole = isConfiguredAdmin(this.config.ADMIN_GITHUB_LOGINS, accountId, user.login) ? 'admin' : 'member';
    return this.sessions.create({
      memberId: resolved.memberId,
      githubAccountId: accountId,
      githubLogin: user.login,
      role,
      ttlSeconds: this.config.SESSION_TTL_SECONDS,
    });
  }
}

/**
 * Whether ADMIN_GITHUB_LOGINS names this GitHub account: an entry `id:<number>` matches the account id
 * (stable across renames: prefer it), any other entry the login, case-insensitively. A login is released
 * when its owner renames, and whoever takes it next would match a login entry.
 */
export function isConfiguredAdmin(entries: readonly string[], accountId: number, login: string): boolean {
  return entries.some((entry) => {
    const id = /^id:(\d+)$/i.exec(entry.trim());
    return id ? Number(id[1]) === accountId : entry.trim().toLowerCase() === login.toLowerCase();
  });
}
