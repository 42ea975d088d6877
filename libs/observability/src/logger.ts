import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { currentRequestContext } from './request-context.js';

/** Pino levels Cambrian's `LOG_LEVEL` accepts. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Keys whose values never reach the log output (pino `redact`, replaced by `[redacted]`):
 * credentials (authorization and cookie headers, GitHub's signature header, tokens, secrets,
 * passwords, private keys, team invite codes, the sealed values and keys of stored credentials) and
 * personal data (e-mail addresses, the login a member repeats to confirm their deletion), at the top
 * level, one level down, in request/response headers, and in GraphQL `variables` (the arguments of
 * setGithubToken, setGithubApp, addWebhookSecret).
 */
export const REDACTED_PATHS = [
  'authorization', 'cookie', 'token', 'accessToken', 'secret', 'secrets', 'password', 'privateKey', 'email', 'emails', 'confirmLogin', 'inviteCode',
  'webhookSecret', 'sealed', 'secretsKey', 'CAMBRIAN_SECRETS_KEY', 'CAMBRIAN_SECRETS_OLD_KEYS',
  '*.authorization', '*.cookie', '*.token', '*.accessToken', '*.secret', '*.secrets', '*.password', '*.privateKey', '*.email', '*.emails', '*.confirmLogin', '*.inviteCode',
  '*.webhookSecret', '*.sealed', '*.secretsKey', '*.CAMBRIAN_SECRETS_KEY', '*.CAMBRIAN_SECRETS_OLD_KEYS',
  '*.variables.token', '*.variables.secret', '*.variables.privateKey', 'body.variables.token', 'body.variables.secret', 'body.variables.privateKey',
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hub-signature-256"]', 'req.headers["x-hub-signature"]',
  'headers.authorization', 'headers.cookie', 'headers["x-hub-signature-256"]', 'headers["x-hub-signature"]',
];

/**
 * Patterns scrubbed from every log line as written (keys cannot name what a sentence, an error
 * message or a stack contains): e-mail addresses (local part and domain in any script, as
 * RFC 6531 allows: `张伟@qq.com`, `x@例子.中国`), GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`;
 * GitHub Docs, "About authentication to GitHub" → token prefixes), `Bearer`/`token` credentials and
 * PEM private keys (a GitHub App's key; RFC 7468 labels, up to END or, cut short, the end of the base64).
 */
const SCRUBBED: Array<[pattern: RegExp, replacement: string, needs?: string]> = [
  // first, so the e-mail and token patterns never see a key's base64
  [/-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|[A-Za-z0-9+/=\s\\]*)/g, '[private key]'],
  // lengths bounded as RFC 5321 bounds them (local part 64, label 63): an unbounded `+` made a long
  // word cost quadratic time (2 s for 50k letters) on every line written
  [/[\p{L}\p{M}\p{N}._%+-]{1,64}@[\p{L}\p{M}\p{N}-]{1,63}(?:\.[\p{L}\p{M}\p{N}-]{1,63}){0,8}\.[\p{L}\p{M}]{2,63}/gu, '[email]', '@'],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '[token]'],
  [/\b(Bearer|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
];

/** `text` with e-mail addresses and credentials replaced (see {@link SCRUBBED}). */
export function scrubSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement, needs] of SCRUBBED) {
    // a pattern that needs a character the text lacks cannot match: the costly e-mail pattern
    // (~15 µs on a 200-character line) is not run on the many lines without an `@`
    if (needs === undefined || result.includes(needs)) result = result.replace(pattern, replacement);
  }
  return result;
}

/**
 * Creates Cambrian's JSON logger: one object per line with `level` (name), `time` (ISO 8601 UTC),
 * `service`, `msg`, `context` (the Nest logger context) and, inside a request or job, `requestId`.
 * Secrets and e-mail addresses are removed twice: by key with pino's `redact`, and from the whole
 * serialised line (messages, fields, error messages and stacks) by {@link scrubSecrets}.
 */
export function createLogger(options: { level: LogLevel; service: string; destination?: DestinationStream }): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level,
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => {
      const context = currentRequestContext();
      return context ? { requestId: context.requestId } : {};
    },
    // the serialised line, so error objects (`err`: message and stack) and free-form fields are
    // scrubbed as well as messages; the patterns never match a JSON quote or backslash
    hooks: { streamWrite: scrubSecrets },
  };
  const logger = options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
  // same options and the same stream (lines never interleave), without the key redaction
  unredacted.set(logger, pino({ ...pinoOptions, redact: undefined }, (logger as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym]));
  return logger;
}

/** The unredacted sibling of each logger made by {@link createLogger}. */
const unredacted = new WeakMap<Logger, Logger>();

/**
 * A logger writing to the same stream as `logger`, with its level, fields and scrubbing
 * ({@link scrubSecrets}), but without the redaction by key: for lines written at high rates whose
 * fields are fixed by the code and none of them named in {@link REDACTED_PATHS} (the per-request
 * access line). Key redaction walks ~40 paths, wildcards included, on every line: ~60 µs of the
 * ~70 µs an access line cost. `logger` itself when it was not made by {@link createLogger}.
 */
export function fixedFieldsLogger(logger: Logger): Logger {
  const sibling = unredacted.get(logger);
  if (!sibling) return logger;
  if (sibling.level !== logger.level) sibling.level = logger.level;
  return sibling;
}

/** Nest's `LoggerService` on a pino logger: Nest's context argument becomes the `context` field. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  /** Nest `log` → pino `info`. */
  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  /** Nest `error(message, stack?, context?)` → pino `error` with `stack`. */
  error(message: unknown, ...params: unknown[]): void {
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params.pop() as string) : undefined;
    const stack = typeof params[0] === 'string' ? params[0] : undefined;
    this.emit('error', message, { ...(context ? { context } : {}), ...(stack ? { stack: scrubSecrets(stack) } : {}) });
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, params: unknown[]): void {
    const context = params.length > 0 && typeof params[params.length - 1] === 'string' ? (params[params.length - 1] as string) : undefined;
    this.emit(level, message, context ? { context } : {});
  }

  private emit(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal' | 'error', message: unknown, fields: Record<string, unknown>): void {
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, scrubSecrets(message.message));
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...(message as Record<string, unknown>) });
    else this.logger[level](fields, String(message));
  }
}
