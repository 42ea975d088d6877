import { randomBytes } from 'node:crypto';
import { assertErasureKeyShape, openErasureKey, sealErasureKey } from './erasure-key.js';
import { secretBoxFromConfig } from './secret-box.js';
import { secretKeyId } from './secret-keyring.js';
import { SecretsExceptionCode } from './secrets.exception.js';

const key = () => randomBytes(32).toString('base64');
const box = (current: string | undefined, old: string[] = []) => secretBoxFromConfig({ NODE_ENV: 'test', CAMBRIAN_SECRETS_KEY: current, CAMBRIAN_SECRETS_OLD_KEYS: old });
const ERASURE_KEY = randomBytes(48).toString('hex');

describe('erasure key sealing', () => {
  it.each([
    ['96 hex digits (as migrations draw it)', ERASURE_KEY, true],
    ['32 hex digits', 'a'.repeat(32), true],
    ['upper-case hex', ERASURE_KEY.toUpperCase(), false],
    ['a space and another startup option', `${ERASURE_KEY} -c search_path=evil`, false],
    ['too short', 'abc123', false],
    ['empty', '', false],
  ])('accepts only the shape of a key: %s', (_what, value, ok) => {
    if (ok) expect(assertErasureKeyShape(value)).toBe(value);
    else expect(() => assertErasureKeyShape(value)).toThrow(/is not 32 to 128 lower-case hex digits \(length \d+\)/);
  });

  it('never echoes a malformed value', () => {
    expect(() => assertErasureKeyShape('not-a-key-SECRETVALUE')).toThrow(expect.objectContaining({ message: expect.not.stringContaining('SECRETVALUE') }));
  });

  it('round-trips under the current key and opens under an old one after rotation; the sealed bytes do not hold the key', () => {
    const a = key();
    const sealed = sealErasureKey(box(a), ERASURE_KEY);
    expect(sealed.keyId).toBe(secretKeyId(Buffer.from(a, 'base64')));
    expect(sealed.sealed.toString('latin1')).not.toContain(ERASURE_KEY.slice(0, 16));
    expect(openErasureKey(box(a), sealed)).toBe(ERASURE_KEY);
    expect(openErasureKey(box(key(), [a]), sealed)).toBe(ERASURE_KEY);
  });

  it('refuses, naming CAMBRIAN_SECRETS_KEY, CAMBRIAN_SECRETS_OLD_KEYS and why Cambrian needs it, when no configured key opens it', () => {
    const a = key();
    const b = key();
    const sealed = sealErasureKey(box(a), ERASURE_KEY);
    let caught: { code?: string; message: string } | undefined;
    try {
      openErasureKey(box(b), sealed);
    } catch (error) {
      caught = error as { code?: string; message: string };
    }
    expect(caught?.code).toBe(SecretsExceptionCode.KEY_UNKNOWN);
    expect(caught?.message).toBe(
      `the erasure hash key (table erasure_key) is encrypted under key ${sealed.keyId}, which this process does not have ` +
        `(CAMBRIAN_SECRETS_KEY is key ${secretKeyId(Buffer.from(b, 'base64'))}; CAMBRIAN_SECRETS_OLD_KEYS is empty): ` +
        'set the key it was stored with as CAMBRIAN_SECRETS_KEY or in CAMBRIAN_SECRETS_OLD_KEYS. Cambrian cannot start without it: ' +
        'member deletions are recorded as hashes under this key (README "Your data: export and deletion"), and it cannot be drawn again',
    );
  });

  it('does not open a value sealed for another row (a GitHub credential copied into erasure_key)', () => {
    const a = key();
    const credential = box(a).seal(ERASURE_KEY, 'github_credential 1 of ecosystem 3 (token)');
    expect(() => openErasureKey(box(a), credential)).toThrow(expect.objectContaining({ code: SecretsExceptionCode.DECRYPT_FAILED }));
  });
});
