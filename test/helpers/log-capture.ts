import { Writable } from 'node:stream';

/** Collects the JSON log lines pino writes (pass as `logDestination`). */
export class LogCapture extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text.push(chunk.toString('utf8'));
    callback();
  }
  /** Every line written so far, parsed. */
  lines(): Array<Record<string, unknown>> {
    return this.text.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
