import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Controller, Get, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthException, AuthExceptionCode, CSRF_HEADER, csrfTokenFor, csrfTokenMatches, SessionService } from '#libs/auth';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { rateLimited } from '../http/rate-limit.js';
import {
  CSRF_COOKIE,
  csrfCookieOptions,
  OAUTH_RETURN_COOKIE,
  OAUTH_STATE_COOKIE,
  SESSION_COOKIE,
  sessionCookieOptions,
  stateCookieOptions,
} from './auth-cookies.js';
import { GithubSignInService } from './github-sign-in.service.js';

const SIGN_IN = rateLimited('signIn');

/** `{ statusCode, error, message }` as Nest answers errors, with a stable `code`. */
function sendAuthError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ statusCode: status, error: code, message });
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

function queryText(request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Paths a sign-in may return to (`return_to`): the console served by the api (`/console/…`), never another
 * origin (an open redirect) nor a path that leaves `/console` (`..`, `//`, a backslash).
 */
const RETURN_TO = /^\/console(\/[A-Za-z0-9\-._~/%]*)?$/;

/**
 * The longest `return_to` kept, characters: it travels in a signed cookie, and browsers drop a cookie
 * over 4096 bytes (RFC 6265 §6.1) without a word, which would lose the path after a 302.
 */
export const RETURN_TO_MAX_LENGTH = 2048;

/** True for a `return_to` the callback may redirect to (see {@link RETURN_TO}, {@link RETURN_TO_MAX_LENGTH}). */
export function returnToAllowed(path: string): boolean {
  return path.length <= RETURN_TO_MAX_LENGTH && RETURN_TO.test(path) && !path.includes('//') && !path.split('/').some((part) => part === '..' || part === '.') && !/%2f|%5c|%2e/i.test(path);
}

/**
 * Sign-in through GitHub (README, "Sign-in"), every route under the `signIn` rate limit:
 * - `GET /auth/github[?login=][&return_to=]` — a random `state` in a signed, httpOnly, 10-minute cookie, then 302 to
 *   GitHub's authorize page (`login` is passed on as GitHub's account suggestion); `return_to`, a path of the
 *   console served by the api (`/console/…`, see {@link returnToAllowed}; 400 RETURN_TO_REFUSED otherwise),
 *   is kept in a second signed cookie for the callback;
 * - `GET /auth/github/callback?code&state` — checks `state` against the cookie (400 OAUTH_STATE_MISMATCH),
 *   exchanges the code (401 OAUTH_CODE_REFUSED for a replayed or expired one), opens a session: the
 *   `cambrian_session` cookie (httpOnly, SameSite=Lax, Secure in production) and `cambrian_csrf` (the
 *   session's CSRF token, readable by the console); then 303 to the `return_to` path on the api's own origin
 *   (the console at `/console`), else to the console at CONSOLE_ORIGIN, else 200
 *   `{ signedIn: { login, memberId, role }, csrfToken }`;
 * - `POST /auth/sign-out` — with the session's CSRF token in `x-csrf-token` (403 CSRF_TOKEN_REQUIRED
 *   otherwise) revokes the session and clears the cookies: 200 `{ signedOut: true }`; without a
 *   session 200 `{ signedOut: false }`.
 * 503 SIGN_IN_DISABLED in production while no OAuth app is configured.
 */
@Controller('auth')
export class AuthController {
  constructor(
    private readonly signIn: GithubSignInService,
    private readonly sessions: SessionService,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {}

  @Get('github')
  @RouteConfig(SIGN_IN)
  start(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.signIn.enabled) return this.disabled(reply);
    const state = randomBytes(32).toString('base64url');
    const login = queryText(request, 'login');
    const returnTo = queryText(request, 'return_to');
    if (returnTo !== undefined && !returnToAllowed(returnTo)) {
      return sendAuthError(reply, 400, 'RETURN_TO_REFUSED', `return_to must be a path of the console served here (/console/…, at most ${RETURN_TO_MAX_LENGTH} characters), not another origin or path`);
    }
    if (returnTo !== undefined) void reply.setCookie(OAUTH_RETURN_COOKIE, returnTo, stateCookieOptions(this.config));
    else void reply.clearCookie(OAUTH_RETURN_COOKIE, { path: stateCookieOptions(this.config).path });
    const url = this.signIn.authorizeUrl({ state, redirectUrl: this.callbackUrl(request), ...(login ? { login } : {}) });
    return reply.setCookie(OAUTH_STATE_COOKIE, state, stateCookieOptions(this.config)).redirect(url, HttpStatus.FOUND);
  }

  @Get('github/callback')
  @RouteConfig(SIGN_IN)
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    if (!this.signIn.enabled) return this.disabled(reply);
    const cookie = request.cookies[OAUTH_STATE_COOKIE];
    const returnCookie = request.cookies[OAUTH_RETURN_COOKIE];
    void reply.clearCookie(OAUTH_STATE_COOKIE, { path: stateCookieOptions(this.config).path });
    if (returnCookie) void reply.clearCookie(OAUTH_RETURN_COOKIE, { path: stateCookieOptions(this.config).path });
    const denied = queryText(request, 'error');
    if (denied) return sendAuthError(reply, 400, 'OAUTH_DENIED', `GitHub did not sign you in: ${denied} (${queryText(request, 'error_description') ?? 'no description'})`);
    const state = queryText(request, 'state');
    const expected = cookie ? request.unsignCookie(cookie) : null;
    if (!state || !expected?.valid || expected.value === null || !sameText(expected.value, state)) {
      return sendAuthError(reply, 400, 'OAUTH_STATE_MISMATCH', "The sign-in state does not match this browser's (expired, tampered or started elsewhere); start again at /auth/github");
    }
    const code = queryText(request, 'code');
    if (!code) return sendAuthError(reply, 400, 'OAUTH_CODE_MISSING', 'The callback carries no code');
    let signedIn;
    try {
      signedIn = await this.signIn.complete({ code, redirectUrl: this.callbackUrl(request) });
    } catch (error) {
      if (error instanceof AuthException && error.code === AuthExceptionCode.FORBIDDEN) return sendAuthError(reply, 403, 'MEMBER_DATA_DELETED', error.message);
      if (error instanceof AuthException) return sendAuthError(reply, 401, 'OAUTH_CODE_REFUSED', error.message);
      throw error;
    }
    const { session, secret } = signedIn;
    const csrfToken = csrfTokenFor(secret, this.config.AUTH_SECRET);
    void reply
      .setCookie(SESSION_COOKIE, secret, sessionCookieOptions(this.config, this.config.SESSION_TTL_SECONDS))
      .setCookie(CSRF_COOKIE, csrfToken, csrfCookieOptions(this.config, this.config.SESSION_TTL_SECONDS));
    const returnTo = returnCookie ? request.unsignCookie(returnCookie) : null;
    if (returnTo?.valid && returnTo.value !== null && returnToAllowed(returnTo.value)) return reply.redirect(returnTo.value, HttpStatus.SEE_OTHER);
    const console = this.config.CONSOLE_ORIGIN[0];
    if (console) return reply.redirect(`${console}/`, HttpStatus.SEE_OTHER);
    return reply.code(200).send({ signedIn: { login: session.githubLogin, memberId: session.memberId, role: session.role.toUpperCase() }, csrfToken });
  }

  @Post('sign-out')
  @RouteConfig(SIGN_IN)
  async signOut(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const secret = request.cookies[SESSION_COOKIE];
    if (!secret) return reply.code(200).send({ signedOut: false });
    if (!csrfTokenMatches(secret, this.config.AUTH_SECRET, request.headers[CSRF_HEADER])) {
      return sendAuthError(reply, 403, 'CSRF_TOKEN_REQUIRED', `Signing out needs the session's CSRF token in the ${CSRF_HEADER} header`);
    }
    const revoked = await this.sessions.revoke(secret);
    return reply
      .clearCookie(SESSION_COOKIE, { path: '/' })
      .clearCookie(CSRF_COOKIE, { path: '/' })
      .code(200)
      .send({ signedOut: revoked });
  }

  private callbackUrl(request: FastifyRequest): string {
    return this.config.GITHUB_OAUTH_CALLBACK_URL ?? `${request.protocol}://${request.host}/auth/github/callback`;
  }

  private disabled(reply: FastifyReply): FastifyReply {
    return sendAuthError(reply, 503, 'SIGN_IN_DISABLED', 'Sign-in is off: set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET');
  }
}
