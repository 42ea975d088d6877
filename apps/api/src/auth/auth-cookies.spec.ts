import { csrfCookieOptions, sessionCookieOptions, stateCookieOptions } from './auth-cookies.js';

describe('sign-in cookie attributes', () => {
  it.each([
    ['development', false],
    ['test', false],
    ['production', true],
  ] as const)('NODE_ENV=%s: httpOnly, SameSite=Lax, Secure=%s', (NODE_ENV, secure) => {
    expect(sessionCookieOptions({ NODE_ENV }, 3600)).toEqual({ httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: 3600 });
    expect(csrfCookieOptions({ NODE_ENV }, 3600)).toMatchObject({ httpOnly: false, sameSite: 'lax', secure });
    expect(stateCookieOptions({ NODE_ENV })).toMatchObject({ httpOnly: true, sameSite: 'lax', path: '/auth/github', secure, signed: true, maxAge: 600 });
  });
});
