/** Why a stored secret could not be sealed or opened; mapped to GraphQL `extensions.code`. */
export enum SecretsExceptionCode {
  /** No current key (production without CAMBRIAN_SECRETS_KEY): nothing can be stored. */
  KEY_MISSING = 'SECRETS_KEY_MISSING_FAILED_PRECONDITION',
  /** The value was sealed under a key id this process does not hold. */
  KEY_UNKNOWN = 'SECRETS_KEY_UNKNOWN',
  /** AES-GCM authentication failed: the ciphertext was altered, or belongs to another row. */
  DECRYPT_FAILED = 'SECRETS_DECRYPT_FAILED',
}

/**
 * A refused seal or open. Messages name keys by id and rows by what they are (ecosystem, kind);
 * they never contain a secret, a key or a ciphertext.
 */
export class SecretsException extends Error {
  constructor(
    message: string,
    readonly code: SecretsExceptionCode,
  ) {
    super(message);
    this.name = 'SecretsException';
  }
}
