/**
 * The header that carries the session's CSRF token on mutations and `POST /auth/sign-out`
 * (libs/auth `CSRF_HEADER`; src/lib/csrf.test.ts keeps them equal).
 */
export const CSRF_HEADER = 'x-csrf-token';

/** The cookie in which the api hands the console its session's CSRF token (apps/api/src/auth/auth-cookies.ts `CSRF_COOKIE`). */
export const CSRF_COOKIE = 'cambrian_csrf';

/** The session's CSRF token from `document.cookie` (or the given cookie text); undefined when signed out. */
export function readCsrfToken(cookieText: string = document.cookie): string | undefined {
  for (const part of cookieText.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    if (part.slice(0, at).trim() === CSRF_COOKIE) {
      const value = decodeURIComponent(part.slice(at + 1).trim());
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/** The headers a cookie request sends: the CSRF token when there is one. */
export function csrfHeaders(cookieText?: string): Record<string, string> {
  const token = readCsrfToken(cookieText);
  return token ? { [CSRF_HEADER]: token } : {};
}
