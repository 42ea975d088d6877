import { AUDIT_MAX_DEPTH, AUDIT_MAX_ITEMS, AUDIT_MAX_STRING, AUDIT_REDACTED_KEYS, isAuditRedactedKey, redactForAudit } from './redact-for-audit.js';

describe('redactForAudit', () => {
  it('takes its keys from the logger list, without header paths', () => {
    for (const key of ['token', 'secret', 'password', 'privatekey', 'email', 'emails', 'authorization', 'cookie']) expect(AUDIT_REDACTED_KEYS.has(key)).toBe(true);
    expect([...AUDIT_REDACTED_KEYS].some((key) => key.includes('.') || key.includes('['))).toBe(false);
  });

  it.each([
    ['token', true],
    ['TOKEN', true],
    ['emails', true],
    ['webhookSecret', true],
    ['webhookSecrets', true],
    ['github_token', true],
    ['appPrivateKey', true],
    ['contactEmail', true],
    ['tokenId', false],
    ['emailConsent', false],
    ['tokenHash', false],
    ['notoken', false],
    ['name', false],
  ])('key %s redacted: %s', (key, redacted) => {
    expect(isAuditRedactedKey(key)).toBe(redacted);
  });

  it.each([
    ['null and undefined', undefined, null],
    ['a number', 3.5, 3.5],
    ['a non-finite number', Number.POSITIVE_INFINITY, 'Infinity'],
    ['a bigint', 12345678901234567890n, '12345678901234567890'],
    ['a date', new Date('2026-01-02T03:04:05Z'), '2026-01-02T03:04:05.000Z'],
    ['an invalid date', new Date('nope'), null],
    ['a buffer', Buffer.from('abc'), '[binary, 3 bytes]'],
    ['a secret key at the top', { token: 'x', name: 'n' }, { token: '[redacted]', name: 'n' }],
    ['a secret key deep down, any case', { input: { list: [{ Email: 'a@b.co', privateKey: 'k' }] } }, { input: { list: [{ Email: '[redacted]', privateKey: '[redacted]' }] } }],
    ['an address inside text', { note: 'ask jane.doe@example.com' }, { note: 'ask [email]' }],
    ['a GitHub token inside text', ['use ghp_' + 'a'.repeat(36)], ['use [token]']],
    ['functions, symbols and undefined fields', { f: () => 1, s: Symbol('s'), u: undefined, k: 1 }, { k: 1 }],
    ['a map and a set', { m: new Map([['a', 1]]), s: new Set([1, 2]) }, { m: { a: 1 }, s: [1, 2] }],
  ])('%s', (_name, value, expected) => {
    expect(redactForAudit(value)).toEqual(expected);
  });

  it('cuts long strings after scrubbing them, and long arrays', () => {
    const long = 'x'.repeat(AUDIT_MAX_STRING + 10);
    expect(redactForAudit(long)).toBe(`${'x'.repeat(AUDIT_MAX_STRING)}[… 10 more characters]`);
    const items = Array.from({ length: AUDIT_MAX_ITEMS + 3 }, (_, i) => i);
    expect(redactForAudit(items)).toEqual([...items.slice(0, AUDIT_MAX_ITEMS), '[3 more items]']);
    // an address across the cut is still scrubbed as a whole
    const edge = `${'y'.repeat(AUDIT_MAX_STRING - 10)} someone@example.org`;
    expect(redactForAudit(edge)).toBe(`${'y'.repeat(AUDIT_MAX_STRING - 10)} [email]`);
  });

  it('marks cycles and nesting beyond the limit instead of failing', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redactForAudit(cyclic)).toEqual({ a: 1, self: '[circular]' });
    let deep: unknown = 'bottom';
    for (let i = 0; i < AUDIT_MAX_DEPTH + 2; i++) deep = { d: deep };
    expect(JSON.stringify(redactForAudit(deep))).toContain('[too deep]');
    const shared = { x: 1 };
    expect(redactForAudit({ a: shared, b: shared })).toEqual({ a: { x: 1 }, b: { x: 1 } });
  });
});
