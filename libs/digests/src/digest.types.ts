/**
 * The contract between composing a weekly digest and sending it.
 *
 * A digest belongs to one member and one ISO 8601 week (`YYYY-Www`, weeks start on Monday, week 1 holds the
 * year's first Thursday). Composing reads Cambrian's data and renders the message; sending takes the ledger
 * row, adds the RFC 2369 / RFC 8058 list headers and hands the message to SMTP.
 */

/** Languages a digest is written in: English and Simplified Chinese. */
export type DigestLocale = 'en' | 'zh-CN';

/** An ISO 8601 week as `YYYY-Www`, e.g. `2026-W48`. */
export type IsoWeekKey = string;

/** Who a digest goes to, and how to write it for them. */
export interface DigestRecipient {
  memberId: string;
  /** The address the digest is sent to; composing never reads it. */
  email: string;
  locale: DigestLocale;
  /** IANA time zone name (e.g. `Asia/Shanghai`); dates in the digest are shown in it. */
  timeZone: string;
}

/** Links every rendered digest carries (footer and, for unsubscribe, the list headers). */
export interface DigestLinks {
  /** https URL that unsubscribes with one click (RFC 8058): GET shows a confirmation, POST unsubscribes. */
  unsubscribeUrl: string;
  /** https URL of the member's e-mail preferences page. */
  preferencesUrl: string;
}

/** A rendered message: the subject, a responsive HTML part and a plain-text part. */
export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

/** What composing one member's week gives: a digest, or nothing with the reason (written to the send log). */
export type ComposedDigest =
  | { kind: 'digest'; rendered: RenderedDigest }
  | { kind: 'empty'; reason: string };

/** Composes and renders one member's digest for one ISO week. */
export interface DigestComposer {
  /**
   * @param recipient who the digest is for (locale and time zone decide the language and the dates)
   * @param week the ISO week, `YYYY-Www`; the week is the member's local Monday 00:00 to the next Monday 00:00
   * @param links the unsubscribe and preferences URLs to put in the footer
   * @throws Error naming the problem when the member does not exist or the week key is malformed
   */
  compose(recipient: DigestRecipient, week: IsoWeekKey, links: DigestLinks): Promise<ComposedDigest>;
}

/** Nest injection token for the {@link DigestComposer} the sender uses. */
export const DIGEST_COMPOSER = Symbol('DIGEST_COMPOSER');
