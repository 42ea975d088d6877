/**
 * The key of stored secrets in local runs, tests and the demo (`CAMBRIAN_SECRETS_KEY` unset outside
 * production): 32 bytes, base64. It is public (it is in this file), so it protects nothing and is
 * refused in production.
 */
export const DEVELOPMENT_SECRETS_KEY = 'Y2FtYnJpYW4tZGV2ZWxvcG1lbnQtc2VjcmV0cy1rZXk=';

/** Bytes of an AES-256 key. */
export const SECRETS_KEY_BYTES = 32;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The bytes of a `CAMBRIAN_SECRETS_KEY` value (standard base64 of 32 bytes, surrounding spaces
 * ignored), or null when it is not one. Never echoes the value.
 */
export function decodeSecretsKey(value: string): Buffer | null {
  const text = value.trim();
  if (!BASE64.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === SECRETS_KEY_BYTES ? bytes : null;
}

/**
 * What is wrong with a secrets key value, as the end of a sentence naming the variable, or null
 * when it is 32 bytes of base64. The message states the expected shape and the length found, never
 * the value.
 */
export function secretsKeyProblem(value: string): string | null {
  if (decodeSecretsKey(value)) return null;
  const text = value.trim();
  const decoded = BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64').length : null;
  return decoded === null
    ? `must be ${SECRETS_KEY_BYTES} random bytes in standard base64 (e.g. \`openssl rand -base64 32\`); the value given is not base64`
    : `must be ${SECRETS_KEY_BYTES} random bytes in standard base64 (e.g. \`openssl rand -base64 32\`); the value given decodes to ${decoded} bytes`;
}
