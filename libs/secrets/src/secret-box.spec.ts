import { randomBytes } from 'node:crypto';
import { DEVELOPMENT_SECRETS_KEY } from '#libs/config';
import { SecretBox } from './secret-box.js';
import { buildSecretKeyring, secretKeyId } from './secret-keyring.js';
import { SecretsExceptionCode } from './secrets.exception.js';

const key = () => randomBytes(32).toString('base64');
const box = (current: string | undefined, old: string[] = [], env: 'production' | 'test' = 'test') =>
  new SecretBox(buildSecretKeyring({ NODE_ENV: env, CAMBRIAN_SECRETS_KEY: current, CAMBRIAN_SECRETS_OLD_KEYS: old }));
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  throw new Error('did not throw');
};

describe('SecretBox', () => {
  const SECRET = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
  const AAD = 'row 1 of ecosystem 3';

  it('round-trips a value; the sealed bytes hold neither the value nor its base64', () => {
    const secrets = box(key());
    const sealed = secrets.seal(SECRET, AAD);
    expect(secrets.open(sealed, AAD, 'the token')).toBe(SECRET);
    const bytes = sealed.sealed;
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.toString('base64')).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(bytes.toString('latin1')).not.toContain(SECRET.slice(4, 16));
    // a fresh nonce each time
    expect(secrets.seal(SECRET, AAD).sealed.equals(bytes)).toBe(false);
  });

  it('refuses a value moved to another row (other associated data) and an altered one', () => {
    const secrets = box(key());
    const sealed = secrets.seal(SECRET, AAD);
    expect(codeOf(() => secrets.open(sealed, 'row 1 of ecosystem 4', 'the token'))).toMatchObject({ code: SecretsExceptionCode.DECRYPT_FAILED });
    for (const at of [0, 14, sealed.sealed.length - 1]) {
      const altered = Buffer.from(sealed.sealed);
      altered[at] ^= 1;
      const refused = codeOf(() => secrets.open({ ...sealed, sealed: altered }, AAD, 'the token of ecosystem 3'));
      expect(refused.code).toBe(SecretsExceptionCode.DECRYPT_FAILED);
      expect(refused.message).toMatch(/^the token of ecosystem 3 could not be decrypted under key k[0-9a-f]{8}: authentication failed/);
    }
    expect(codeOf(() => secrets.open({ ...sealed, sealed: Buffer.alloc(5) }, AAD, 'x')).code).toBe(SecretsExceptionCode.DECRYPT_FAILED);
  });

  it('names the key id when the key is not held, and never the value', () => {
    const first = key();
    const sealed = box(first).seal(SECRET, AAD);
    const other = box(key());
    const refused = codeOf(() => other.open(sealed, AAD, 'the token of ecosystem 3'));
    expect(refused.code).toBe(SecretsExceptionCode.KEY_UNKNOWN);
    expect(refused.message).toContain(`encrypted under key ${secretKeyId(Buffer.from(first, 'base64'))}`);
    expect(refused.message).toContain(`CAMBRIAN_SECRETS_KEY is key ${other.currentKeyId}`);
    expect(refused.message).not.toContain(SECRET);
    expect(refused.message).not.toContain(first);
  });

  it('reads values of an old key listed in CAMBRIAN_SECRETS_OLD_KEYS and seals under the current one', () => {
    const [oldKey, newKey] = [key(), key()];
    const sealed = box(oldKey).seal(SECRET, AAD);
    const rotated = box(newKey, [oldKey]);
    expect(rotated.open(sealed, AAD, 'x')).toBe(SECRET);
    expect(rotated.seal(SECRET, AAD).keyId).toBe(rotated.currentKeyId);
    expect(rotated.currentKeyId).not.toBe(sealed.keyId);
  });

  it('uses the public development key outside production, and none in production', () => {
    expect(box(undefined).currentKeyId).toBe(secretKeyId(Buffer.from(DEVELOPMENT_SECRETS_KEY, 'base64')));
    const production = box(undefined, [], 'production');
    expect(production.currentKeyId).toBeNull();
    expect(codeOf(() => production.seal(SECRET, AAD))).toMatchObject({ code: SecretsExceptionCode.KEY_MISSING, message: expect.stringMatching(/CAMBRIAN_SECRETS_KEY is not set/) });
    expect(codeOf(() => production.fingerprint(SECRET)).code).toBe(SecretsExceptionCode.KEY_MISSING);
  });

  it('fingerprints: 12 hex digits, equal for equal values under one key, different under another', () => {
    const secrets = box(key());
    expect(secrets.fingerprint(SECRET)).toMatch(/^[0-9a-f]{12}$/);
    expect(secrets.fingerprint(SECRET)).toBe(secrets.fingerprint(SECRET));
    expect(secrets.fingerprint(`${SECRET}x`)).not.toBe(secrets.fingerprint(SECRET));
    expect(box(key()).fingerprint(SECRET)).not.toBe(secrets.fingerprint(SECRET));
  });
});
