import { Inject, Injectable, Logger } from '@nestjs/common';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { DIGEST_COMPOSER, type DigestComposer, type DigestRecipient } from '../digest.types.js';
import { parseIsoWeek } from '../iso-week.js';
import { DIGEST_DEFAULTS, FALLBACK_DIGEST_LOCALE, type DigestDefaultsLookup } from './digest-defaults.js';
import { DigestLedgerService } from './digest-ledger.service.js';
import type { DigestSendStatus } from './digest-ledger.types.js';
import { digestLinks } from './digest-links.js';
import { buildDigestMessage, digestMessageId } from './digest-message.js';
import { EmailPreferenceService } from './email-preference.service.js';
import { DIGEST_MAIL_TRANSPORT, DeliveryError, type DigestMailTransport } from './mail-transport.js';

/** What one execution of a digest's job did. */
export interface DigestSendOutcome {
  memberId: string;
  week: string;
  /** The ledger status after this execution (null when the member does not exist: no row). */
  status: DigestSendStatus | null;
  /** What this execution did: sent it, found it finished, recorded it empty/skipped/bounced/uncertain. */
  action: 'sent' | 'already-finished' | 'empty' | 'skipped' | 'bounced' | 'uncertain' | 'taken-by-another';
  detail?: string;
}

/** A retryable failure of a digest's job (4xx, connection errors, another execution in the SMTP transaction). */
export class DigestSendRetryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DigestSendRetryError';
  }
}

/**
 * Sends one member's digest of one ISO week, at most once:
 * 1. resolves the member through merges and re-reads the preferences (an unsubscribe or bounce since the
 *    job was planned records `skipped`);
 * 2. takes the ledger row (unique per member and week) — a finished row ends the job;
 * 3. composes with the {@link DigestComposer} (DIGEST_COMPOSER), in the member's locale or else their
 *    ecosystem's ({@link DIGEST_DEFAULTS}); an empty digest records `empty` with the reason and sends nothing;
 * 4. builds the MIME with one `List-Unsubscribe` and one `List-Unsubscribe-Post` header (RFC 2369, 8058);
 * 5. once the rate limit lets it, records `sending` (with the Message-ID fixed at step 2 and a lease) and
 *    hands the message to SMTP; then `sent`, or `bounced` on a 5xx (the address is marked), or back to
 *    `pending` on a 4xx or an error before hand-over, thrown so that BullMQ retries with backoff.
 *
 * A crash between the server's acceptance and the `sent` update leaves the row `sending`; a later
 * execution finds it so after the lease and records `uncertain` instead of sending again: a member never
 * gets two digests of a week; an uncertain row is kept for an operator to look at, not lost.
 */
@Injectable()
export class DigestSenderService {
  private readonly logger = new Logger('DigestSender');

  constructor(
    private readonly preferences: EmailPreferenceService,
    private readonly ledger: DigestLedgerService,
    @Inject(DIGEST_COMPOSER) private readonly composer: DigestComposer,
    @Inject(DIGEST_MAIL_TRANSPORT) private readonly transport: DigestMailTransport,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
    @Inject(DIGEST_DEFAULTS) private readonly defaults: DigestDefaultsLookup | null,
  ) {}

  /**
   * @param finalAttempt true on the job's last attempt: a retryable failure then records `failed`
   * @throws DigestSendRetryError for a failure worth retrying (4xx, connection, an execution in flight);
   *   RangeError for a malformed week (a producer bug); what the composer throws (retried by the job)
   */
  async send(memberId: string, week: string, finalAttempt = false): Promise<DigestSendOutcome> {
    parseIsoWeek(week);
    const found = await this.preferences.recipient(memberId);
    const root = 'recipient' in found ? found.recipient.memberId : found.memberId;
    const messageId = digestMessageId(root, week, this.config.MAIL_FROM);
    if ('reason' in found) {
      if (found.reason === 'no-member') return { memberId, week, status: null, action: 'skipped', detail: 'no such member' };
      const row = await this.ledger.skip(root, week, messageId, found.reason);
      return { memberId: root, week, status: row.status, action: row.status === 'skipped' ? 'skipped' : 'already-finished', detail: found.reason };
    }
    const recipient: DigestRecipient = {
      ...found.recipient,
      locale: found.recipient.locale ?? (await this.defaults?.forMembers([root]))?.get(root)?.locale ?? FALLBACK_DIGEST_LOCALE,
    };
    const merged = await this.ledger.sentToMergeGroup(root, week);
    if (merged) {
      const row = await this.ledger.skip(root, week, messageId, `already ${merged.status} to merged member ${merged.memberId}`);
      return { memberId: root, week, status: row.status, action: 'skipped', detail: row.reason ?? undefined };
    }

    const take = await this.ledger.take(root, week, messageId);
    if (take.state === 'finished') return { memberId: root, week, status: take.row.status, action: 'already-finished' };
    if (take.state === 'in-flight') throw new DigestSendRetryError(`the digest of ${root} for ${week} is in an SMTP transaction of another execution`);
    if (take.state === 'interrupted') {
      await this.ledger.markUncertain(take.row.id, 'an execution stopped inside the SMTP transaction: maybe delivered, not sent again');
      return { memberId: root, week, status: 'uncertain', action: 'uncertain' };
    }
    const row = take.row;

    let raw: Buffer;
    try {
      const links = digestLinks(this.config, root);
      const composed = await this.composer.compose(recipient, week, { unsubscribeUrl: links.unsubscribeUrl, preferencesUrl: links.preferencesUrl });
      if (composed.kind === 'empty') {
        await this.ledger.markEmpty(row.id, composed.reason);
        return { memberId: root, week, status: 'empty', action: 'empty', detail: composed.reason };
      }
      raw = await buildDigestMessage({
        from: this.config.MAIL_FROM,
        to: recipient.email,
        rendered: composed.rendered,
        messageId: row.messageId,
        unsubscribeUrl: links.unsubscribeUrl,
        unsubscribeMailto: links.unsubscribeMailto,
      });
    } catch (error) {
      await this.ledger.markRetry(row.id, `composing failed: ${(error as Error).message}`, null, finalAttempt);
      throw error;
    }

    let claimed = false;
    try {
      const reply = await this.transport.deliver({ from: this.config.MAIL_FROM, to: recipient.email, messageId: row.messageId, raw }, async () => {
        claimed = await this.ledger.startSending(row.id, recipient.email, this.config.DIGEST_SEND_LEASE_SECONDS);
        return claimed;
      });
      if (reply === null) return { memberId: root, week, status: 'sending', action: 'taken-by-another' };
      await this.ledger.markSent(row.id, reply);
      return { memberId: root, week, status: 'sent', action: 'sent', detail: reply };
    } catch (error) {
      // a 5xx, at RCPT TO or at the end of the data: the address bounced
      if (error instanceof DeliveryError && error.kind === 'permanent') {
        await this.ledger.markBounced(row.id, recipient.email, error.reply ?? error.message);
        await this.preferences.recordBounce(root, recipient.email, error.reply ?? error.message);
        this.logger.warn(`digest ${week} to member ${root} bounced: ${error.reply ?? error.message}`);
        return { memberId: root, week, status: 'bounced', action: 'bounced', detail: error.reply ?? error.message };
      }
      if (!claimed) {
        // refused (4xx), or the connection, the rate limiter or Redis failed, before anything was handed over
        await this.ledger.markRetry(row.id, (error as Error).message, error instanceof DeliveryError ? error.reply : null, finalAttempt);
        throw new DigestSendRetryError(`${this.transport.description}: ${(error as Error).message}`);
      }
      if (!(error instanceof DeliveryError)) throw error; // after the hand-over: leave it `sending`; the lease decides
      if (error.kind === 'uncertain') {
        await this.ledger.markUncertain(row.id, `connection lost after the message was handed over: ${error.message}`, true);
        return { memberId: root, week, status: 'uncertain', action: 'uncertain', detail: error.message };
      }
      await this.ledger.markRetry(row.id, error.message, error.reply, finalAttempt);
      throw new DigestSendRetryError(`${this.transport.description}: ${error.message}`);
    }
  }
}
