import type { CookieSerializeOptions } from '@fastify/cookie';
import type { CambrianConfig } from '#libs/config';

/** The session cookie: the session secret, httpOnly. */
export const SESSION_COOKIE = 'cambrian_session';
/** The session's CSRF token, readable by the console's scripts (not httpOnly), sent back in `x-csrf-token`. */
export const CSRF_COOKIE = 'cambrian_csrf';
/** The signed sign-in `state`, bound to the browser between `/auth/github` and its callback. */
export const OAUTH_STATE_COOKIE = 'cambrian_oauth_state';
/** The signed console path to land on after sign-in (`/auth/github?return_to=`), kept beside the state cookie. */
export const OAUTH_RETURN_COOKIE = 'cambrian_oauth_return';
/** How long a sign-in may take between `/auth/github` and the callback, seconds. */
export const OAUTH_STATE_TTL_SECONDS = 600;

/** Secure outside local runs: production sends cookies over HTTPS only. */
export function secureCookies(config: Pick<CambrianConfig, 'NODE_ENV'>): boolean {
  return config.NODE_ENV === 'production';
}

/** Attributes of the session cookie: httpOnly, SameSite=Lax, path /, Secure in production, `maxAge` seconds. */
export function sessionCookieOptions(config: Pick<CambrianConfig, 'NODE_ENV'>, maxAge: number): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookies(config), maxAge };
}

/** Attributes of the CSRF cookie: as the session cookie's but readable by scripts. */
export function csrfCookieOptions(config: Pick<CambrianConfig, 'NODE_ENV'>, maxAge: number): CookieSerializeOptions {
  return { httpOnly: false, sameSite: 'lax', path: '/', secure: secureCookies(config), maxAge };
}

/** Attributes of the signed state cookie: httpOnly, SameSite=Lax (it must come back on GitHub's top-level redirect), path /auth/github. */
export function stateCookieOptions(config: Pick<CambrianConfig, 'NODE_ENV'>): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/auth/github', secure: secureCookies(config), maxAge: OAUTH_STATE_TTL_SECONDS, signed: true };
}
