import { csrfTokenFor, csrfTokenMatches } from './csrf-token.js';

describe('csrfTokenFor / csrfTokenMatches', () => {
  const key = 'k'.repeat(32);
  const token = csrfTokenFor('cms_session-a', key);

  it('is a 43-character base64url HMAC that differs per session and per key', () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenFor('cms_session-b', key)).not.toBe(token);
    expect(csrfTokenFor('cms_session-a', 'x'.repeat(32))).not.toBe(token);
  });

  it.each([
    ['the token', token, true],
    ['the token in an array', [token], true],
    ['nothing', undefined, false],
    ['an empty string', '', false],
    ["another session's token", csrfTokenFor('cms_session-b', key), false],
    ['a truncated token', token.slice(0, -1), false],
  ])('accepts %s → %s', (_label, presented, expected) => {
    expect(csrfTokenMatches('cms_session-a', key, presented as string | string[] | undefined)).toBe(expected);
  });
});
