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
 * handed over (after any rate-limit wait) and before the server can accept it: it records `sending` in the
 * ledger, and returning false stops the delivery (another execution took the row). An error before `claim`
 * ran or answered means nothing was handed over.
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

/** Bytes of a message held back until its rate slot is granted: without them the server cannot end the DATA. */
const HELD_BACK_BYTES = 2;

/**
 * The raw message as a stream that sends everything but its last bytes, then waits for `gate` before the
 * rest (after which nodemailer writes the final `.`, RFC 5321 §4.1.1.4). `gate` answering false, or failing,
 * destroys the stream: the transaction is abandoned without its end, so the server accepts nothing.
 */
function gatedMessage(raw: Buffer, gate: () => Promise<boolean>): Readable {
  let stage = 0;
  return new Readable({
    read() {
      if (stage === 0) {
        stage = 1;
        this.push(raw.subarray(0, raw.length - HELD_BACK_BYTES));
      } else if (stage === 1) {
        stage = 2;
        gate().then(
          (open) => {
            if (!open) return this.destroy(new Error('the ledger row was taken by another execution'));
            this.push(raw.subarray(raw.length - HELD_BACK_BYTES));
            this.push(null);
          },
          (error: Error) => this.destroy(error),
        );
      }
    },
  });
}

/**
 * nodemailer's pooled SMTP transport (`pool: true`, `maxConnections`) behind a shared sliding-window rate
 * limit (nodemailer's own `rateLimit` is not used: see {@link SmtpRateLimiter}). The rate slot is taken at
 * the last moment: the transaction opens and the message is streamed, all but its last bytes; then the slot
 * is taken, the ledger row claimed (`sending`), and the end sent. A slot counts until a window after the
 * server's reply, so it is held for one window plus one round trip, however long a message waited for a
 * pool connection. Timeouts bound every transaction.
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
      // a transaction may wait at the gate for its rate slot; servers allow minutes of DATA inactivity
      socketTimeout: 300_000,
    } as TransportOptions);
  }

  async deliver(message: OutgoingMessage, claim: () => Promise<boolean>): Promise<string | null> {
    const slot = randomUUID();
    let acquired = false;
    let refused = false;
    let handedOver = false;
    const source = gatedMessage(message.raw, async () => {
      await this.options.limiter.acquire(slot);
      acquired = true;
      if (!(await claim())) {
        refused = true;
        return false;
      }
      handedOver = true;
      return true;
    });
    try {
      const info = await this.transporter.sendMail({ envelope: { from: message.from, to: [message.to] }, raw: source });
      return String(info.response ?? '250');
    } catch (error) {
      if (refused) return null;
      throw classifySmtpError(error, handedOver);
    } finally {
      if (acquired) await this.options.limiter.release(slot);
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/**
 * An SMTP error as a {@link DeliveryError}: by its reply code (5xx permanent, 4xx temporary), else by whether
 * the end of the message was handed over (then the server may have accepted it: uncertain).
 */
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
