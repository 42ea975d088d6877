import type { DigestLinks } from '../digest.types.js';
import { addressOf } from './digest-message.js';
import { signDigestToken } from './digest-token.js';

/** What the links of a member's digest are made from (the config's mail and token settings). */
export interface DigestLinkSettings {
  PUBLIC_BASE_URL: string;
  DIGEST_TOKEN_SECRETS: string[];
  MAIL_FROM: string;
  MAIL_UNSUBSCRIBE_ADDRESS?: string;
}

/** `<base>/<path>?token=<token>`, keeping any path of the base URL (`https://host/cambrian/`). */
function linkTo(base: string, path: string, token: string): string {
  const url = new URL(path, base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * A member's unsubscribe and preferences URLs (each with its own signed token) and the `mailto:` URI of
 * `List-Unsubscribe` (RFC 2369): `unsubscribe@<MAIL_FROM domain>` unless MAIL_UNSUBSCRIBE_ADDRESS is set,
 * with the unsubscribe token in the subject.
 */
export function digestLinks(settings: DigestLinkSettings, memberId: string): DigestLinks & { unsubscribeMailto: string } {
  const unsubscribeToken = signDigestToken(settings.DIGEST_TOKEN_SECRETS, 'unsubscribe', memberId);
  const mailbox = settings.MAIL_UNSUBSCRIBE_ADDRESS ?? `unsubscribe@${addressOf(settings.MAIL_FROM).split('@').pop()}`;
  return {
    unsubscribeUrl: linkTo(settings.PUBLIC_BASE_URL, 'unsubscribe', unsubscribeToken),
    preferencesUrl: linkTo(settings.PUBLIC_BASE_URL, 'preferences', signDigestToken(settings.DIGEST_TOKEN_SECRETS, 'preferences', memberId)),
    unsubscribeMailto: `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${unsubscribeToken}`)}`,
  };
}
