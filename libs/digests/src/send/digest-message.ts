import MailComposer from 'nodemailer/lib/mail-composer';
import type { RenderedDigest } from '../digest.types.js';

/** What a digest message is built from. */
export interface DigestMessageInput {
  /** MAIL_FROM: `Name <address>` or an address. */
  from: string;
  to: string;
  rendered: RenderedDigest;
  /** `<...@domain>`, fixed before the first attempt and kept across retries. */
  messageId: string;
  /** https URL: GET shows a confirmation page, POST `List-Unsubscribe=One-Click` unsubscribes (RFC 8058). */
  unsubscribeUrl: string;
  /** `mailto:` URI of RFC 2369, for clients that do not do one-click. */
  unsubscribeMailto: string;
  /** The Date header (default now). */
  date?: Date;
}

/**
 * The list headers of a digest, each exactly once (case M2, nodemailer #1672 and #1256: nodemailer's
 * `list` option can repeat `List-Unsubscribe`; here the two headers are set as plain headers instead):
 * `List-Unsubscribe: <https://...>, <mailto:...>` (RFC 2369; the https URI first, as mailbox providers
 * prefer it) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058 §3.1).
 */
export function listHeaders(unsubscribeUrl: string, unsubscribeMailto: string): Record<string, string> {
  if (!/^https?:\/\//.test(unsubscribeUrl)) throw new RangeError(`List-Unsubscribe needs an http(s) URI, got "${unsubscribeUrl}"`);
  if (!unsubscribeMailto.startsWith('mailto:')) throw new RangeError(`List-Unsubscribe needs a mailto URI, got "${unsubscribeMailto}"`);
  return {
    'List-Unsubscribe': `<${unsubscribeUrl}>, <${unsubscribeMailto}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/**
 * Builds the raw MIME of one digest (RFC 5322; multipart/alternative with the plain-text and HTML parts)
 * with nodemailer's MailComposer, so the same bytes go to SMTP or to the file outbox. `Auto-Submitted:
 * auto-generated` (RFC 3834) keeps auto-responders from answering.
 */
export function buildDigestMessage(input: DigestMessageInput): Promise<Buffer> {
  const composer = new MailComposer({
    from: input.from,
    to: input.to,
    subject: input.rendered.subject,
    text: input.rendered.text,
    html: input.rendered.html,
    messageId: input.messageId,
    date: input.date ?? new Date(),
    headers: { ...listHeaders(input.unsubscribeUrl, input.unsubscribeMailto), 'Auto-Submitted': 'auto-generated' },
  });
  return new Promise((resolve, reject) => composer.compile().build((error, message) => (error ? reject(error) : resolve(message))));
}

/** The address part of `Name <address>` (or the value itself). */
export function addressOf(from: string): string {
  const match = /<([^<>]+)>\s*$/.exec(from);
  return (match ? match[1] : from).trim();
}

/** A Message-ID for one member's digest of one week: stable across retries, unique per (member, week). */
export function digestMessageId(memberId: string, week: string, from: string): string {
  const domain = addressOf(from).split('@').pop() ?? 'cambrian.localhost';
  return `<digest.${week.toLowerCase()}.${memberId}@${domain}>`;
}
