import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { CambrianConfig } from '#libs/config';
import { buildSecretKeyring, type SecretKeyring } from './secret-keyring.js';
import { SecretsException, SecretsExceptionCode } from './secrets.exception.js';

/** Bytes of an AES-GCM nonce (NIST SP 800-38D recommends 96 bits). */
const NONCE_BYTES = 12;
/** Bytes of the GCM authentication tag (the full 128 bits). */
const TAG_BYTES = 16;

/** A sealed value as stored: the id of the key that sealed it, and nonce ‖ ciphertext ‖ tag. */
export interface SealedSecret {
  keyId: string;
  sealed: Buffer;
}

/**
 * Seals and opens secrets with AES-256-GCM (node:crypto): a random 96-bit nonce per value, the
 * 128-bit tag, and associated data that names the row the value belongs to, so a ciphertext
 * copied to another row (another ecosystem, another kind) fails authentication instead of
 * decrypting there. Errors name key ids and `what` (a row's description), never a value.
 */
export class SecretBox {
  constructor(private readonly keyring: SecretKeyring) {}

  /** Id of the key new values are sealed under, or null when there is none (production without CAMBRIAN_SECRETS_KEY). */
  get currentKeyId(): string | null {
    return this.keyring.current?.id ?? null;
  }

  /**
   * Id of the key new values are sealed under.
   * @throws SecretsException KEY_MISSING when there is none.
   */
  requireCurrentKeyId(): string {
    return this.requireCurrent().id;
  }

  /** True when this process can open values sealed under `keyId`. */
  canOpen(keyId: string): boolean {
    return this.keyring.readable.has(keyId);
  }

  /**
   * Seals `plaintext` (UTF-8) under the current key, bound to `associatedData`.
   * @throws SecretsException KEY_MISSING when there is no current key.
   */
  seal(plaintext: string, associatedData: string): SealedSecret {
    const current = this.requireCurrent();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: current.id, sealed: Buffer.concat([nonce, ciphertext, cipher.getAuthTag()]) };
  }

  /**
   * Opens a value sealed by {@link seal} with the same `associatedData`.
   * @param what describes the row in messages (`the GitHub token of ecosystem 3`).
   * @throws SecretsException KEY_UNKNOWN naming the key id when no key of this process has it;
   *   DECRYPT_FAILED when authentication fails (altered ciphertext, or another row's).
   */
  open(value: SealedSecret, associatedData: string, what: string): string {
    const key = this.keyring.readable.get(value.keyId);
    if (!key) {
      const current = this.keyring.current ? `CAMBRIAN_SECRETS_KEY is key ${this.keyring.current.id}` : 'CAMBRIAN_SECRETS_KEY is not set';
      const old = [...this.keyring.readable.keys()].filter((id) => id !== this.keyring.current?.id);
      throw new SecretsException(
        `${what} is encrypted under key ${value.keyId}, which this process does not have (${current}` +
          `${old.length ? `; CAMBRIAN_SECRETS_OLD_KEYS holds ${old.join(', ')}` : '; CAMBRIAN_SECRETS_OLD_KEYS is empty'}): ` +
          `set the key it was stored with as CAMBRIAN_SECRETS_KEY or in CAMBRIAN_SECRETS_OLD_KEYS`,
        SecretsExceptionCode.KEY_UNKNOWN,
      );
    }
    const refused = () =>
      new SecretsException(
        `${what} could not be decrypted under key ${value.keyId}: authentication failed (the stored value was altered, or belongs to another row); set it again`,
        SecretsExceptionCode.DECRYPT_FAILED,
      );
    if (value.sealed.length < NONCE_BYTES + TAG_BYTES) throw refused();
    const nonce = value.sealed.subarray(0, NONCE_BYTES);
    const tag = value.sealed.subarray(value.sealed.length - TAG_BYTES);
    const ciphertext = value.sealed.subarray(NONCE_BYTES, value.sealed.length - TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw refused();
    }
  }

  /**
   * A short fingerprint of a secret for display (12 hex digits): HMAC-SHA256 under a key derived
   * from the current key (HKDF-SHA256), so that, unlike a plain hash, it cannot be used to test
   * guesses of a weak secret without the key. Equal values set under the same key have equal
   * fingerprints; stored fingerprints keep the key of their time (rotation does not change them).
   * @throws SecretsException KEY_MISSING when there is no current key.
   */
  fingerprint(plaintext: string): string {
    const current = this.requireCurrent();
    const fingerprintKey = Buffer.from(hkdfSync('sha256', current.key, Buffer.alloc(0), 'cambrian secret fingerprint', 32));
    return createHmac('sha256', fingerprintKey).update(plaintext, 'utf8').digest('hex').slice(0, 12);
  }

  private requireCurrent() {
    const current = this.keyring.current;
    if (!current) {
      throw new SecretsException(
        'CAMBRIAN_SECRETS_KEY is not set: secrets cannot be encrypted without it in production (32 random bytes, base64: `openssl rand -base64 32`)',
        SecretsExceptionCode.KEY_MISSING,
      );
    }
    return current;
  }
}

/** The process's secrets box from its validated configuration (CAMBRIAN_SECRETS_KEY, CAMBRIAN_SECRETS_OLD_KEYS; see {@link buildSecretKeyring}). */
export function secretBoxFromConfig(config: Pick<CambrianConfig, 'NODE_ENV' | 'CAMBRIAN_SECRETS_KEY' | 'CAMBRIAN_SECRETS_OLD_KEYS'>): SecretBox {
  return new SecretBox(buildSecretKeyring(config));
}
