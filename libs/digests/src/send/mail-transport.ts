import { randomUUID } from 'node:crypto';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import nodemailer, { type Transporter, type TransportOptions } from 'nodemailer';
import type { SmtpRateLimiter } from './smtp-rate-limiter.js';

/** One message as it goes out: the SMTP envelope and the raw MIME bytes. */
export interface OutgoingMessage {
  from: string;
  to: string;
  messageId: string;
  raw: Buffer;
}

/**
 * How a failed delivery ended:
 * - `temporary`: refused with a 4xx reply, or failed before the message was handed over (connection
 *   refused, timeout during the greeting): not delivered; retry later;
 * - `permanent`: refused with a 5xx reply (RFC 5321 §4.2.1): the address bounced; never retry;
 * - `uncertain`: the connection failed after the whole message was handed over and before the server's
 *   reply: it may have been accepted.
 */
export type DeliveryFailureKind = 'temporary' | 'permanent' | 'uncertain';

/** A delivery that failed, classified; `reply` is the server's reply when there was one. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: DeliveryFailureKind,
    readonly reply: string | null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * Where digests go: an SMTP server or the local file outbox. `claim` is called once the message may be
 * handed over (after any rate-limit wait) and before it is: it records `sending` in the ledger, and
 * returning false stops the delivery (another execution took the row).
 */
export interface DigestMailTransport {
  /** For logs: `smtp://host:port` (no credentials) or `outbox:<dir>`. */
  readonly description: string;
  /**
   * @returns the server's reply (`250 ...`), or null when `claim` answered false
   * @throws DeliveryError classified (see {@link DeliveryFailureKind})
   */
  deliver(message: OutgoingMessage, claim: () => Promise<boolean>): Promise<string | null>;
  close(): Promise<void>;
}

/** Options of the pooled SMTP transport. */
export interface SmtpTransportOptions {
  /** `smtp://` or `smtps://` URL (nodemailer reads host, port, TLS and credentials from it). */
  url: string;
  maxConnections: number;
  limiter: SmtpRateLimiter;
}

/**
 * nodemailer's pooled SMTP transport (`pool: true`, `maxConnections`) behind a shared sliding-window rate
 * limit (nodemailer's own `rateLimit` is not used: see {@link SmtpRateLimiter}). Timeouts bound every
 * transaction well inside DIGEST_SEND_LEASE_SECONDS.
 */
export class SmtpDigestTransport implements DigestMailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(private readonly options: SmtpTransportOptions) {
    const url = new URL(options.url);
    this.description = `${url.protocol}//${url.host}`;
    this.transporter = nodemailer.createTransport({
      url: options.url,
      pool: true,
      maxConnections: options.maxConnections,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    } as TransportOptions);
  }

  deliver(message: OutgoingMessage, claim: () => Promise<boolean>): Promise<string | null> {
    return this.options.limiter.run(async () => {
      if (!(await claim())) return null;
      // the whole message read by nodemailer means it may have reached the server's end-of-data; an
      // error without a reply code before that means the server cannot have accepted it (RFC 5321 §4.1.1.4)
      let handedOver = false;
      const source = Readable.from([message.raw]);
      source.on('end', () => (handedOver = true));
      try {
        const info = await this.transporter.sendMail({ envelope: { from: message.from, to: [message.to] }, raw: source });
        return String(info.response ?? '250');
      } catch (error) {
        throw classifySmtpError(error, handedOver);
      }
    });
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** An SMTP error as a {@link DeliveryError}: by its reply code, else by whether the message was handed over. */
export function classifySmtpError(error: unknown, handedOver: boolean): DeliveryError {
  const { responseCode, response, message } = error as { responseCode?: number; response?: string; message?: string };
  const text = message ?? String(error);
  if (typeof responseCode === 'number' && responseCode >= 500) return new DeliveryError(text, 'permanent', response ?? String(responseCode));
  if (typeof responseCode === 'number' && responseCode >= 400) return new DeliveryError(text, 'temporary', response ?? String(responseCode));
  return new DeliveryError(text, handedOver ? 'uncertain' : 'temporary', response ?? null);
}

/**
 * The file outbox of local runs and the demo: each message is written as `<dir>/<message id>.eml`
 * (raw MIME, openable in any mail client). Written to a temporary file and linked into place, so a file
 * is never half-written, and a message already in the outbox is not written twice.
 */
export class FileOutboxTransport implements DigestMailTransport {
  readonly description: string;
  private readonly directory: string;

  constructor(directory: string) {
    this.directory = resolve(directory);
    this.description = `outbox:${this.directory}`;
  }

  async deliver(message: OutgoingMessage, claim: () => Promise<boolean>): Promise<string | null> {
    if (!(await claim())) return null;
    await mkdir(this.directory, { recursive: true });
    const name = message.messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_');
    const file = join(this.directory, `${name}.eml`);
    const temporary = join(this.directory, `.${name}.${randomUUID()}.tmp`);
    await writeFile(temporary, message.raw);
    try {
      await link(temporary, file);
      return `250 written to ${file}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return `250 already in the outbox: ${file}`;
      throw new DeliveryError(`cannot write ${file}: ${(error as Error).message}`, 'temporary', null);
    } finally {
      await unlink(temporary).catch(() => undefined);
    }
  }

  async close(): Promise<void> {}
}

/** Nest injection token of the process's {@link DigestMailTransport}. */
export const DIGEST_MAIL_TRANSPORT = Symbol('DIGEST_MAIL_TRANSPORT');
