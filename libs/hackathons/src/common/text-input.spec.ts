import { noNul, refuseNul } from './text-input.js';

describe('noNul', () => {
  it.each([
    ['plain text', 'RWKV hack', true],
    ['empty text', '', true],
    ['null', null, true],
    ['undefined', undefined, true],
    ['a NUL inside', 'RWKV\u0000hack', false],
    ['only a NUL', '\u0000', false],
  ])('%s → %s', (_name, value, expected) => {
    expect(noNul(value)).toBe(expected);
  });
});

describe('refuseNul', () => {
  const fail = (message: string) => new RangeError(message);

  it('names the first field holding a NUL, in the caller’s error', () => {
    expect(() => refuseNul({ title: 'ok', description: 'x\u0000y', reason: '\u0000' }, fail)).toThrow(new RangeError('description: must not contain a NUL character'));
  });

  it('accepts text without NUL and skips absent fields', () => {
    expect(() => refuseNul({ title: 'ok', description: null, comment: undefined }, fail)).not.toThrow();
  });
});
