import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * A local SMTP server (the `smtp-server` package) that accepts everything and records, per message,
 * when it was accepted and for whom: what a benchmark needs to measure delivery rates.
 */
export class SmtpSink {
  readonly accepted: Array<{ at: number; to: string }> = [];
  private server!: SMTPServer;
  port = 0;

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      maxClients: 1000,
      onData: (stream, session, callback) => {
        stream.on('data', () => {});
        stream.on('end', () => {
          for (const rcpt of session.envelope.rcptTo) this.accepted.push({ at: Date.now(), to: rcpt.address });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  reset(): void {
    this.accepted.length = 0;
  }

  /** The most messages accepted inside any `windowMs` (sliding). */
  maxInWindow(windowMs: number): number {
    const times = this.accepted.map((m) => m.at).sort((a, b) => a - b);
    let best = 0;
    for (let i = 0, j = 0; j < times.length; j += 1) {
      while (times[j] - times[i] >= windowMs) i += 1;
      best = Math.max(best, j - i + 1);
    }
    return best;
  }

  /** Recipients that received more than one message. */
  duplicates(): number {
    const counts = new Map<string, number>();
    for (const { to } of this.accepted) counts.set(to, (counts.get(to) ?? 0) + 1);
    return [...counts.values()].filter((n) => n > 1).length;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Messages between a benchmark and {@link SmtpSink} run in a child process (smtp-sink-child.ts). */
export type SinkRequest = { type: 'reset' } | { type: 'report' } | { type: 'stop' };
export type SinkReply = { type: 'started'; port: number } | { type: 'reset' } | { type: 'report'; accepted: SmtpSink['accepted'] };
