import { createHmac, timingSafeEqual } from 'node:crypto';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';

/** What a token lets its holder do: leave the digest with one click, or change the e-mail preferences. */
export type DigestTokenPurpose = 'unsubscribe' | 'preferences';

const PURPOSE_TAG: Record<DigestTokenPurpose, string> = { unsubscribe: 'u', preferences: 'p' };
const TOKEN = /^([up])\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})$/;

function mac(secret: string, purpose: DigestTokenPurpose, memberId: string): Buffer {
  return createHmac('sha256', secret).update(`cambrian-digest\0${purpose}\0${memberId}`).digest();
}

/**
 * Signs a per-member token: `<u|p>.<member id>.<HMAC-SHA256 of purpose and member id, base64url>`.
 * Bound to one member and one purpose, so it is useless for anyone else or anything else; it does
 * not expire (a link in an old digest keeps working) and is revoked by rotating the secret.
 * @param secrets DIGEST_TOKEN_SECRETS: the first signs
 */
export function signDigestToken(secrets: readonly string[], purpose: DigestTokenPurpose, memberId: string): string {
  return `${PURPOSE_TAG[purpose]}.${memberId.toLowerCase()}.${mac(secrets[0], purpose, memberId.toLowerCase()).toString('base64url')}`;
}

/**
 * Verifies a token against every secret (rotation: old links keep working while the old secret is listed).
 * @returns the member id the token was issued for
 * @param token the `token` query parameter as parsed: a string, or an array when the parameter is repeated
 * @throws DigestSendException TOKEN_INVALID when the token is missing, repeated or not of Cambrian's shape;
 *   TOKEN_REFUSED when its signature matches no secret or it was issued for another purpose.
 */
export function verifyDigestToken(secrets: readonly string[], purpose: DigestTokenPurpose, token: unknown): string {
  if (Array.isArray(token)) throw new DigestSendException('The link has more than one token: open the link from the e-mail as it is', DigestSendExceptionCode.TOKEN_INVALID);
  if (typeof token !== 'string' || !token) throw new DigestSendException('The link has no token: open the link from the e-mail as it is', DigestSendExceptionCode.TOKEN_INVALID);
  const match = TOKEN.exec(token.trim());
  if (!match) {
    throw new DigestSendException('The token of this link is malformed (cut short or changed?): open the link from the e-mail as it is', DigestSendExceptionCode.TOKEN_INVALID);
  }
  const [, tag, memberId, signature] = match;
  if (tag !== PURPOSE_TAG[purpose]) {
    throw new DigestSendException(`This token is not for ${purpose === 'unsubscribe' ? 'unsubscribing' : 'the preferences page'}`, DigestSendExceptionCode.TOKEN_REFUSED);
  }
  const given = Buffer.from(signature, 'base64url');
  const valid = secrets.some((secret) => {
    const expected = mac(secret, purpose, memberId);
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!valid) throw new DigestSendException('The token of this link is not valid (its signature does not match)', DigestSendExceptionCode.TOKEN_REFUSED);
  return memberId;
}
