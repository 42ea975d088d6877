import { DigestSendException } from './digest-send.exception.js';
import { signDigestToken, verifyDigestToken } from './digest-token.js';

const member = '5b0f8a4e-8d1c-4d59-9a43-0c7a4f1f3b11';
const other = '0c7a4f1f-8d1c-4d59-9a43-5b0f8a4e3b11';

function refusal(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DigestSendException) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('not refused');
}

describe('digest tokens', () => {
  it('verifies a token for its member and purpose, with any listed secret (rotation)', () => {
    const token = signDigestToken(['old'], 'unsubscribe', member);
    expect(verifyDigestToken(['old'], 'unsubscribe', token)).toBe(member);
    expect(verifyDigestToken(['new', 'old'], 'unsubscribe', token)).toBe(member);
    expect(signDigestToken(['s'], 'unsubscribe', member)).not.toBe(signDigestToken(['s'], 'unsubscribe', other));
  });

  it.each<[string, () => string, string, RegExp]>([
    ['a missing token', () => '', 'DIGEST_TOKEN_INVALID', /no token/],
    ['a cut-short token', () => signDigestToken(['s'], 'unsubscribe', member).slice(0, -3), 'DIGEST_TOKEN_INVALID', /malformed/],
    ['another member in a signed token', () => signDigestToken(['s'], 'unsubscribe', member).replace(member, other), 'DIGEST_TOKEN_REFUSED', /signature does not match/],
    ['a token signed with a secret no longer listed', () => signDigestToken(['retired'], 'unsubscribe', member), 'DIGEST_TOKEN_REFUSED', /signature/],
    ['a preferences token used to unsubscribe', () => signDigestToken(['s'], 'preferences', member), 'DIGEST_TOKEN_REFUSED', /not for unsubscribing/],
    ['a forged purpose tag', () => signDigestToken(['s'], 'preferences', member).replace(/^p\./, 'u.'), 'DIGEST_TOKEN_REFUSED', /signature/],
  ])('refuses %s, saying why', (_name, token, code, message) => {
    const refused = refusal(() => verifyDigestToken(['s'], 'unsubscribe', token()));
    expect(refused.code).toBe(code);
    expect(refused.message).toMatch(message);
  });
});
