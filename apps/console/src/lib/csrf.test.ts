// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { CSRF_HEADER as API_CSRF_HEADER } from '../../../../libs/auth/src/csrf-token.js';
import { CSRF_COOKIE as API_CSRF_COOKIE } from '../../../api/src/auth/auth-cookies.js';
import { CSRF_COOKIE, CSRF_HEADER, csrfHeaders, readCsrfToken } from './csrf.js';

describe('CSRF token of the session', () => {
  it('uses the header and cookie names of the api', () => {
    expect(CSRF_HEADER).toBe(API_CSRF_HEADER);
    expect(CSRF_COOKIE).toBe(API_CSRF_COOKIE);
  });

  it.each([
    ['cambrian_csrf=abc', 'abc'],
    ['other=1; cambrian_csrf=a%2Bb; x=2', 'a+b'],
    ['not_cambrian_csrf=abc', undefined],
    ['cambrian_csrf=', undefined],
    ['', undefined],
  ])('reads %j as %j', (cookies, token) => {
    expect(readCsrfToken(cookies)).toBe(token);
  });

  it('sends the token only when there is one', () => {
    expect(csrfHeaders('cambrian_csrf=t1')).toEqual({ 'x-csrf-token': 't1' });
    expect(csrfHeaders('')).toEqual({});
  });
});
