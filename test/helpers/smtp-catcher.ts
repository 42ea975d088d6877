import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** One message the catcher accepted. */
export interface CaughtMessage {
  /** When the server accepted it (ms, the catcher's clock). */
  acceptedAt: number;
  from: string;
  to: string[];
  raw: Buffer;
}

/** Behaviour of a {@link SmtpCatcher}. */
export interface SmtpCatcherOptions {
  /**
   * Answer `454 4.7.0 Throttling failure` to a message when `max` messages were already accepted within the
   * last `windowMs` (a sliding window, as mail providers do; case M1).
   */
  throttle?: { max: number; windowMs: number };
  /** Recipients answered `550 5.1.1 mailbox unavailable` at RCPT TO (a bounce). */
  rejectRecipients?: Iterable<string>;
  /** Milliseconds to wait after the message's end before replying (a slow server). */
  replyDelayMs?: number;
  /** Called after a message is accepted (e.g. to kill the sender right then). */
  onAccepted?: (message: CaughtMessage) => void;
}

/**
 * A real SMTP server (the `smtp-server` package) on a spare local port, recording what it accepts and
 * what it refused: the tests send to it over TCP exactly as to a provider, and parse what arrived.
 */
export class SmtpCatcher {
  readonly accepted: CaughtMessage[] = [];
  /** Replies other than 250 to a message: `{ at, code, to }`. */
  readonly refused: Array<{ at: number; code: number; to: string[] }> = [];
  /** Errors of client connections (e.g. ECONNRESET from a sender killed mid-session), kept instead of thrown. */
  readonly connectionErrors: Error[] = [];
  private readonly rejected: Set<string>;
  private server!: SMTPServer;
  port = 0;

  constructor(private readonly options: SmtpCatcherOptions = {}) {
    this.rejected = new Set([...(options.rejectRecipients ?? [])].map((a) => a.toLowerCase()));
  }

  /** `smtp://127.0.0.1:<port>` once started. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      size: 10 * 1024 * 1024,
      onRcptTo: (address, session, callback) => {
        if (this.rejected.has(address.address.toLowerCase())) {
          this.refused.push({ at: Date.now(), code: 550, to: [address.address] });
          const error = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', async () => {
          if (this.options.replyDelayMs) await new Promise((resolve) => setTimeout(resolve, this.options.replyDelayMs));
          const now = Date.now();
          const to = session.envelope.rcptTo.map((r) => r.address);
          const { throttle } = this.options;
          if (throttle && this.accepted.filter((m) => m.acceptedAt > now - throttle.windowMs).length >= throttle.max) {
            this.refused.push({ at: now, code: 454, to });
            return callback(Object.assign(new Error('4.7.0 Throttling failure: Maximum sending rate exceeded'), { responseCode: 454 }));
          }
          const message: CaughtMessage = { acceptedAt: now, from: session.envelope.mailFrom ? (session.envelope.mailFrom as { address: string }).address : '', to, raw: Buffer.concat(chunks) };
          this.accepted.push(message);
          callback(null, `2.0.0 queued as ${this.accepted.length}`);
          this.options.onAccepted?.(message);
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server.on('error', (error: Error) => this.connectionErrors.push(error));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** Messages accepted for an address. */
  to(address: string): CaughtMessage[] {
    return this.accepted.filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase()));
  }

  /** The largest number of accepted messages inside any window of `windowMs` (sliding). */
  maxInWindow(windowMs: number): number {
    const times = this.accepted.map((m) => m.acceptedAt).sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j += 1) {
      while (times[j] - times[i] >= windowMs) i += 1;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Parses a caught message (mailparser). */
export function parseMessage(message: CaughtMessage): Promise<ParsedMail> {
  return simpleParser(message.raw);
}

/** The raw header block of a message (up to the first empty line). */
export function rawHeaderBlock(raw: Buffer | string): string {
  const text = raw.toString();
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** How many header lines of a raw message start with `name:` (case-insensitive; folded continuations not counted). */
export function countHeaderLines(raw: Buffer | string, name: string): number {
  return rawHeaderBlock(raw)
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`)).length;
}
