import { createPrivateKey } from 'node:crypto';
import { GithubCredentialException, GithubCredentialExceptionCode } from './github-credential.exception.js';

/** Longest token or webhook secret accepted (characters); GitHub's tokens are under 300. */
export const MAX_SECRET_LENGTH = 1024;

/** Longest App private key accepted (characters of PEM); a 4096-bit RSA key is about 3,300. */
export const MAX_PRIVATE_KEY_LENGTH = 16_384;

const invalid = (message: string) => new GithubCredentialException(message, GithubCredentialExceptionCode.INVALID);

/**
 * Checks a GitHub token (personal access, fine-grained or installation token): 1 to
 * {@link MAX_SECRET_LENGTH} printable characters without spaces (it travels in an `Authorization`
 * header). Messages give lengths and positions, never the value.
 * @throws GithubCredentialException INVALID.
 */
export function checkGithubToken(token: string): string {
  if (token.length === 0) throw invalid('token is empty');
  if (token.length > MAX_SECRET_LENGTH) throw invalid(`token is ${token.length} characters long; at most ${MAX_SECRET_LENGTH}`);
  const bad = token.search(/[^\x21-\x7e]/);
  if (bad >= 0) throw invalid(`token has a space or a character that is not printable ASCII at position ${bad + 1}`);
  return token;
}

/**
 * Checks a webhook secret: 1 to {@link MAX_SECRET_LENGTH} characters, kept exactly as given (GitHub
 * signs with the secret's exact bytes, spaces included).
 * @throws GithubCredentialException INVALID.
 */
export function checkWebhookSecret(secret: string): string {
  if (secret.length === 0) throw invalid('secret is empty');
  if (secret.length > MAX_SECRET_LENGTH) throw invalid(`secret is ${secret.length} characters long; at most ${MAX_SECRET_LENGTH}`);
  return secret;
}

/**
 * Checks a GitHub App private key and returns it as PEM text: `\n` written literally (a one-line
 * value) becomes newlines; it must parse as a PEM private key (node:crypto, PKCS#1 or PKCS#8).
 * @throws GithubCredentialException INVALID (with node's reason, which does not quote the key).
 */
export function checkAppPrivateKey(value: string): string {
  if (value.length > MAX_PRIVATE_KEY_LENGTH) throw invalid(`privateKey is ${value.length} characters long; at most ${MAX_PRIVATE_KEY_LENGTH}`);
  const pem = value.includes('\\n') && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;
  try {
    createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw invalid(`privateKey is not a PEM private key (${(error as Error).message})`);
  }
  return pem;
}

/**
 * Checks a GitHub numeric id (App id, installation id): a positive safe integer.
 * @throws GithubCredentialException INVALID naming `name`.
 */
export function checkGithubId(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw invalid(`${name} must be a positive integer, got ${value}`);
  return value;
}
