// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { initialLanguage } from './i18n.js';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** Every key path of a catalog ("a.b.c"). */
function keys(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

describe('message catalogs and the starting language', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it.each([
    ['zh-CN', ['en-US'], 'zh-CN'],
    ['en', ['zh-CN'], 'en'],
    [null, ['zh-TW', 'en'], 'zh-CN'],
    [null, ['de-DE'], 'en'],
    ['fr', [], 'en'],
  ] as const)('starts in the stored %j with browser languages %j: %j', (stored, browser, expected) => {
    expect(initialLanguage(stored, browser)).toBe(expected);
  });
});
