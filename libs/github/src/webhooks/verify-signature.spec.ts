import { createHmac } from 'node:crypto';
import { matchWebhookSecret, signWebhookBody, verifyWebhookSignature } from './verify-signature.js';

// W1 (shared/cases/webhooks.md): escapes kept exactly as sent, in both letter cases.
const W1_BODY = String.raw`{"action":"created","comment":{"body":"done \u001B[32mOK\u001b[0m \u2665 and a literal \\u0041"}}`;
const SECRET = 's3cr3t';
const body = Buffer.from(W1_BODY, 'utf8');
const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
const oneByteChanged = Buffer.from(W1_BODY.replace('done', 'done!').slice(0, -1), 'utf8');
const reserialised = Buffer.from(JSON.stringify(JSON.parse(W1_BODY)), 'utf8');

describe('verifyWebhookSignature', () => {
  it.each([
    ['W1: the exact bytes received', true, body, signature, [SECRET]],
    ['W1: one byte changed under the old signature', false, Buffer.concat([body.subarray(0, 10), Buffer.from('X'), body.subarray(11)]), signature, [SECRET]],
    ['W1: a different body of another length', false, oneByteChanged, signature, [SECRET]],
    ['W1: the parsed and re-serialised object', false, reserialised, signature, [SECRET]],
    ['the old secret during a rotation', true, body, signature, ['new-secret', SECRET]],
    ['the new secret during a rotation', true, body, signWebhookBody(body, 'new-secret'), [SECRET, 'new-secret']],
    ['an upper-case hex digest', true, body, `sha256=${signature.slice(7).toUpperCase()}`, [SECRET]],
    ['surrounding whitespace', true, body, ` ${signature} `, [SECRET]],
    ['a wrong secret', false, body, signature, ['other']],
    ['no secrets configured', false, body, signature, []],
    ['an empty secret', false, body, signWebhookBody(body, ''), ['']],
    ['a missing header', false, body, undefined, [SECRET]],
    ['an empty header', false, body, '', [SECRET]],
    ['a repeated header', false, body, [signature, signature], [SECRET]],
    ['the legacy SHA-1 header format', false, body, `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`, [SECRET]],
    ['a digest without its prefix', false, body, signature.slice(7), [SECRET]],
    ['a truncated digest', false, body, signature.slice(0, -2), [SECRET]],
    ['a digest with non-hex characters', false, body, `${signature.slice(0, -1)}g`, [SECRET]],
  ] as const)('%s → %s', (_label, expected, raw, header, secrets) => {
    expect(verifyWebhookSignature(raw, header as string | string[] | undefined, secrets)).toBe(expected);
  });

  it('signWebhookBody produces the header GitHub sends', () => {
    expect(signWebhookBody(W1_BODY, SECRET)).toBe(signature);
  });
});

describe('matchWebhookSecret', () => {
  it('names the first secret that verifies, or -1', () => {
    expect(matchWebhookSecret(body, signature, ['a', SECRET, 'b'])).toBe(1);
    expect(matchWebhookSecret(body, signature, ['', SECRET, SECRET])).toBe(1);
    expect(matchWebhookSecret(body, signWebhookBody(body, 'b'), ['a', SECRET, 'b'])).toBe(2);
    expect(matchWebhookSecret(body, signature, ['a', 'b'])).toBe(-1);
    expect(matchWebhookSecret(body, undefined, [SECRET])).toBe(-1);
  });
});
