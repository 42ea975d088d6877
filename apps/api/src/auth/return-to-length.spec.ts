import { OAUTH_RETURN_COOKIE } from './auth-cookies.js';
import { returnToAllowed } from './auth.controller.js';

/**
 * `return_to` travels to the callback in a signed cookie (`cambrian_oauth_return`). Browsers keep a
 * cookie of at most 4096 bytes (name, value and attributes; RFC 6265 §6.1) and silently drop a
 * larger one, so a longer path would be accepted with a 302 and then be lost: the sign-in would land
 * elsewhere without a word. Such a path must be refused up front (400 RETURN_TO_REFUSED).
 */
describe('returnToAllowed and the size of the return cookie', () => {
  it('refuses a console path too long for the cookie that carries it', () => {
    const path = `/console/${'a'.repeat(4096)}`;
    expect(`${OAUTH_RETURN_COOKIE}=${path}`.length).toBeGreaterThan(4096);
    expect(returnToAllowed(path)).toBe(false);
  });

  it('still allows a long but reasonable console path', () => {
    expect(returnToAllowed(`/console/members/${'a'.repeat(500)}`)).toBe(true);
  });
});
