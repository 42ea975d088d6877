/**
 * Where one member's digest of one ISO week stands (the `digest_send` ledger):
 * - `pending`: taken, not handed to SMTP yet (a retry composes and sends it);
 * - `sending`: handed to SMTP, the reply not recorded yet (until `lease_until`);
 * - `sent`: accepted by the SMTP server (or written to the outbox);
 * - `empty`: nothing to say this week (the reason is kept); nothing sent;
 * - `skipped`: the member had unsubscribed, opted out or bounced by the time the job ran;
 * - `bounced`: the server answered 5xx; the address is marked and gets nothing more;
 * - `failed`: every attempt of the job failed (4xx, connection errors), the last error is kept;
 * - `uncertain`: interrupted inside the SMTP transaction, after the message was handed over and before
 *   the reply was recorded: it may have been delivered, so it is never resent automatically.
 */
export type DigestSendStatus = 'pending' | 'sending' | 'sent' | 'empty' | 'skipped' | 'bounced' | 'failed' | 'uncertain';

export const DIGEST_SEND_STATUSES: readonly DigestSendStatus[] = ['pending', 'sending', 'sent', 'empty', 'skipped', 'bounced', 'failed', 'uncertain'];

/** One ledger row. Timestamps are UTC instants. */
export interface DigestSendRecord {
  id: string;
  /** The member the digest is for (the survivor of merges when it was taken). */
  memberId: string;
  /** ISO week `YYYY-Www`. */
  week: string;
  status: DigestSendStatus;
  /** The address it was (or was to be) sent to; null until handed to SMTP. */
  email: string | null;
  /** The Message-ID, fixed when the row is taken and kept across retries. */
  messageId: string;
  /** Attempts started by the job (composing and sending). */
  attempts: number;
  lastError: string | null;
  /** Why nothing was sent (`empty`, `skipped`). */
  reason: string | null;
  /** The SMTP server's last reply (e.g. `250 2.0.0 OK queued`, `550 5.1.1 no such user`). */
  smtpReply: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
}

export interface DigestSendRow {
  id: string;
  member_id: string;
  iso_week: string;
  status: DigestSendStatus;
  email: string | null;
  message_id: string;
  attempts: number;
  last_error: string | null;
  reason: string | null;
  smtp_reply: string | null;
  lease_until: Date | null;
  lease_expired: boolean;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

export const SEND_COLUMNS = `id::text AS id, member_id, iso_week, status, email, message_id, attempts, last_error, reason, smtp_reply, lease_until,
  (lease_until IS NULL OR lease_until <= now()) AS lease_expired, created_at, updated_at, sent_at`;

export function toSendRecord(row: DigestSendRow): DigestSendRecord {
  return {
    id: row.id,
    memberId: row.member_id,
    week: row.iso_week,
    status: row.status,
    email: row.email,
    messageId: row.message_id,
    attempts: row.attempts,
    lastError: row.last_error,
    reason: row.reason,
    smtpReply: row.smtp_reply,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sentAt: row.sent_at,
  };
}
