import { randomBytes } from 'node:crypto';
import { erasureKeyOptions } from './erasure-key-session.js';

describe('erasureKeyOptions', () => {
  const key = randomBytes(48).toString('hex');

  it('gives the key as one -c startup option, after the connection\'s other options', () => {
    expect(erasureKeyOptions(key)).toBe(`-c cambrian.erasure_key=${key}`);
    expect(erasureKeyOptions(key, '-c jit=off')).toBe(`-c jit=off -c cambrian.erasure_key=${key}`);
  });

  it('refuses a value that is not a key, so nothing can ride along as another option', () => {
    expect(() => erasureKeyOptions(`${key} -c search_path=elsewhere`)).toThrow(/not 32 to 128 lower-case hex digits/);
  });
});
