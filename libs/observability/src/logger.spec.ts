import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createLogger, fixedFieldsLogger, PinoNestLogger, scrubSecrets } from './logger.js';
import { runWithRequestContext } from './request-context.js';

const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const EMAIL = 'grace.hopper@example.com';
const SECRET = 'webhook-secret-value';

function capture() {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createLogger({ level: 'debug', service: 'cambrian-test', destination });
  return { logger, output: () => chunks.join(''), lines: () => chunks.join('').split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
}

describe('createLogger', () => {
  it('keeps tokens, secrets and e-mail addresses out of the output, by key and inside messages', () => {
    const { logger, output, lines } = capture();
    logger.info({ token: TOKEN, email: EMAIL, user: { email: EMAIL, login: 'grace' }, headers: { authorization: `token ${TOKEN}`, 'x-hub-signature-256': 'sha256=abc' } }, 'fields');
    logger.info({ config: { secret: SECRET } }, 'nested');
    logger.warn(`GitHub answered 401 for ${EMAIL} with Authorization: Bearer ${TOKEN}`);
    new PinoNestLogger(logger).error(`merge of ${EMAIL} failed`, `Error: ${TOKEN}\n    at x`, 'Merges');
    const text = output();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('sha256=abc');
    const [fields, nested, warn, nestError] = lines();
    expect(fields).toMatchObject({ level: 'info', service: 'cambrian-test', msg: 'fields', token: '[redacted]', email: '[redacted]', user: { email: '[redacted]', login: 'grace' } });
    expect(nested.config).toEqual({ secret: '[redacted]' });
    expect(warn.msg).toBe('GitHub answered 401 for [email] with Authorization: Bearer [token]');
    expect(nestError).toMatchObject({ level: 'error', context: 'Merges', msg: 'merge of [email] failed' });
    expect(nestError.stack).toContain('[token]');
  });

  it('writes ISO UTC times and the current request id', () => {
    const { logger, lines } = capture();
    runWithRequestContext({ requestId: 'req-1' }, () => logger.info('inside'));
    logger.info('outside');
    const [inside, outside] = lines();
    expect(inside).toMatchObject({ msg: 'inside', requestId: 'req-1' });
    expect(inside.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(outside.requestId).toBeUndefined();
  });

  it('PinoNestLogger maps Nest levels and the context argument', () => {
    const { logger, lines } = capture();
    const nest = new PinoNestLogger(logger);
    nest.log('started', 'Api');
    nest.warn('slow');
    nest.debug('detail', 'Sync');
    expect(lines()).toEqual([
      expect.objectContaining({ level: 'info', msg: 'started', context: 'Api' }),
      expect.objectContaining({ level: 'warn', msg: 'slow' }),
      expect.objectContaining({ level: 'debug', msg: 'detail', context: 'Sync' }),
    ]);
  });
});

describe('fixedFieldsLogger', () => {
  it('writes to the same stream with the same fields, level and scrubbing, without redaction by key', () => {
    const { logger, lines } = capture();
    const access = fixedFieldsLogger(logger);
    expect(access).not.toBe(logger);
    logger.info('first');
    runWithRequestContext({ requestId: 'req-2' }, () => access.info({ route: '/webhooks/github', statusCode: 202, token: 'shown' }, `done for ${EMAIL}`));
    logger.info('third');
    const [first, second, third] = lines();
    expect([first.msg, second.msg, third.msg]).toEqual(['first', 'done for [email]', 'third']);
    expect(second).toMatchObject({ level: 'info', service: 'cambrian-test', requestId: 'req-2', route: '/webhooks/github', statusCode: 202, token: 'shown' });
    expect(second.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('follows the level of its logger', () => {
    const { logger, lines } = capture();
    logger.level = 'warn';
    fixedFieldsLogger(logger).info('dropped');
    logger.level = 'info';
    fixedFieldsLogger(logger).info('kept');
    expect(lines().map((line) => line.msg)).toEqual(['kept']);
  });

  it('is the logger itself for a logger createLogger did not make', () => {
    const other = pino({ level: 'silent' });
    expect(fixedFieldsLogger(other)).toBe(other);
  });
});

describe('scrubSecrets', () => {
  it('replaces e-mail addresses and GitHub token shapes, and leaves ordinary text alone', () => {
    expect(scrubSecrets(`a ${EMAIL} b github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz c`)).toBe('a [email] b [token] c');
    expect(scrubSecrets('authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe('authorization: Bearer [redacted]');
    expect(scrubSecrets('synced rwkv/rwkv-lm: 12 commits')).toBe('synced rwkv/rwkv-lm: 12 commits');
  });

  it('scrubs each kind of secret in a line without an @ as in one with an address', () => {
    const secrets = `Bearer abcdefgh12345678 ${TOKEN} -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----`;
    expect(scrubSecrets(secrets)).toBe('Bearer [redacted] [token] [private key]');
    expect(scrubSecrets(`${EMAIL} ${secrets}`)).toBe('[email] Bearer [redacted] [token] [private key]');
  });
});

describe('createLogger: secrets outside the message', () => {
  it('keeps e-mail addresses and tokens out of error objects, stacks and free-form fields', () => {
    const { logger, output } = capture();
    const error = new Error(`GitHub refused ${TOKEN} for ${EMAIL}`);
    new PinoNestLogger(logger).error(error);
    logger.warn({ queue: 'sync', error: `member ${EMAIL} not found` }, 'job failed');
    logger.error({ err: error }, 'failed');
    const text = output();
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(EMAIL);
    expect(text).toContain('[email]');
  });

  it('scrubs addresses whose local part or domain is not ASCII', () => {
    const { logger, output } = capture();
    logger.info(`merged 张伟@qq.com and ada@bücher.de and x@例子.中国`);
    const text = output();
    expect(text).not.toMatch(/张伟@|ada@bücher|x@例子/);
  });

  it('scrubs long lines in linear time, and the domain of an address with an overlong local part', () => {
    const word = 'a'.repeat(400_000); // quadratic scanning would take minutes here
    expect(scrubSecrets(`${word} ${word}@${word}`)).toBe(`${word} ${word}@${word}`);
    const scrubbed = scrubSecrets(`${'x'.repeat(100)}@corp.example.com`);
    expect(scrubbed).not.toContain('corp.example.com');
    expect(scrubbed.endsWith('[email]')).toBe(true);
  });
});

describe('createLogger: stored GitHub credentials', () => {
  const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nVJTUt9Us8cKj\n-----END PRIVATE KEY-----\n';

  it('redacts the arguments of the credential mutations, sealed values and keys by name', () => {
    const { logger, output, lines } = capture();
    logger.info({ body: { variables: { ecosystem: 'rwkv', token: 'plain-token-value', secret: SECRET, privateKey: 'pem-value' } } }, 'graphql');
    logger.info({ webhookSecret: SECRET, sealed: 'c2VhbGVk', CAMBRIAN_SECRETS_KEY: 'a2V5LXZhbHVl' }, 'stored');
    const text = output();
    for (const value of ['plain-token-value', SECRET, 'pem-value', 'c2VhbGVk', 'a2V5LXZhbHVl']) expect(text).not.toContain(value);
    expect(lines()[0].body.variables).toEqual({ ecosystem: 'rwkv', token: '[redacted]', secret: '[redacted]', privateKey: '[redacted]' });
  });

  it('scrubs PEM private keys from messages and fields, whole or cut short', () => {
    const { logger, output } = capture();
    logger.warn(`could not use key ${PEM} for App 12`);
    logger.info({ note: PEM.slice(0, 60) }, 'cut');
    const text = output();
    expect(text).not.toContain('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7');
    expect(text).not.toContain('MIIEvQ');
    expect(text).toContain('could not use key [private key]');
    expect(scrubSecrets('no key here: -----BEGIN PUBLIC KEY-----')).toBe('no key here: -----BEGIN PUBLIC KEY-----');
  });
});
