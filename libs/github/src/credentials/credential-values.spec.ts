import { generateKeyPairSync } from 'node:crypto';
import { checkAppPrivateKey, checkGithubId, checkGithubToken, checkWebhookSecret } from './credential-values.js';

describe('credential values', () => {
  const secretish = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

  it.each([
    ['', /token is empty/],
    ['x'.repeat(1025), /1025 characters long; at most 1024/],
    [`${secretish} `, /position 41/],
    [`ghp_é${secretish}`, /position 5/],
  ])('refuses the token %#, naming the problem without the value', (token, message) => {
    expect(() => checkGithubToken(token)).toThrow(message);
    try {
      checkGithubToken(token);
    } catch (error) {
      if (token.length > 0) expect((error as Error).message).not.toContain(token.trim());
    }
  });

  it('keeps a valid token and a webhook secret exactly', () => {
    expect(checkGithubToken(secretish)).toBe(secretish);
    expect(checkWebhookSecret(' spaces count ')).toBe(' spaces count ');
    expect(() => checkWebhookSecret('')).toThrow(/secret is empty/);
  });

  it('accepts a PEM private key, also written on one line with literal \\n', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(checkAppPrivateKey(pem)).toBe(pem);
    expect(checkAppPrivateKey(pem.replace(/\n/g, '\\n'))).toBe(pem);
  });

  it('refuses a private key that is not PEM without quoting it', () => {
    const value = 'not-a-key-but-a-secret-value';
    expect(() => checkAppPrivateKey(value)).toThrow(/privateKey is not a PEM private key/);
    try {
      checkAppPrivateKey(value);
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1])('refuses the id %p', (value) => {
    expect(() => checkGithubId('appId', value)).toThrow(/appId must be a positive integer/);
  });
});
