import { createHash } from 'node:crypto';
import { decodeSecretsKey, DEVELOPMENT_SECRETS_KEY, type CambrianConfig } from '#libs/config';

/** One AES-256 key and its id (see {@link secretKeyId}). */
export interface SecretKey {
  id: string;
  key: Buffer;
}

/**
 * The keys of this process: the current one seals (null in production without
 * CAMBRIAN_SECRETS_KEY), and every key opens (current first, then CAMBRIAN_SECRETS_OLD_KEYS).
 */
export interface SecretKeyring {
  current: SecretKey | null;
  /** Where the current key comes from, for messages. */
  currentSource: 'CAMBRIAN_SECRETS_KEY' | 'development default' | null;
  readable: ReadonlyMap<string, Buffer>;
}

/**
 * The id stored beside every sealed value: `k` and the first 8 hex digits of SHA-256 over a label
 * and the key. It is derived, so an operator never names keys and two processes cannot disagree on
 * which key an id means; it says nothing usable about a random 256-bit key.
 */
export function secretKeyId(key: Buffer): string {
  return `k${createHash('sha256').update('cambrian secrets key id\n').update(key).digest('hex').slice(0, 8)}`;
}

/**
 * Builds the keyring from the validated configuration. Outside production an unset
 * CAMBRIAN_SECRETS_KEY means the public {@link DEVELOPMENT_SECRETS_KEY}; in production it means no
 * current key (reading old keys still works, sealing is refused).
 */
export function buildSecretKeyring(config: Pick<CambrianConfig, 'NODE_ENV' | 'CAMBRIAN_SECRETS_KEY' | 'CAMBRIAN_SECRETS_OLD_KEYS'>): SecretKeyring {
  const readable = new Map<string, Buffer>();
  let current: SecretKey | null = null;
  let currentSource: SecretKeyring['currentSource'] = null;
  const value = config.CAMBRIAN_SECRETS_KEY ?? (config.NODE_ENV === 'production' ? undefined : DEVELOPMENT_SECRETS_KEY);
  if (value !== undefined) {
    const key = decodeSecretsKey(value);
    if (!key) throw new Error('CAMBRIAN_SECRETS_KEY is not 32 bytes of base64 (loadConfig should have refused it)');
    current = { id: secretKeyId(key), key };
    currentSource = config.CAMBRIAN_SECRETS_KEY === undefined ? 'development default' : 'CAMBRIAN_SECRETS_KEY';
    readable.set(current.id, key);
  }
  for (const old of config.CAMBRIAN_SECRETS_OLD_KEYS) {
    const key = decodeSecretsKey(old);
    if (!key) throw new Error('an entry of CAMBRIAN_SECRETS_OLD_KEYS is not 32 bytes of base64 (loadConfig should have refused it)');
    if (!readable.has(secretKeyId(key))) readable.set(secretKeyId(key), key);
  }
  return { current, currentSource, readable };
}
