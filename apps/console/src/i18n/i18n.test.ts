// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { initialLanguage } from './i18n.js';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** Every key path of a catalog ("a.b.c"). */
function keys(catalog: object, prefix = ''): string[] {
  return Object.entries(catalog).flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]));
}

/** Every [key path, text] of a catalog. */
function entries(catalog: object, prefix = ''): Array<[string, unknown]> {
  return Object.entries(catalog).flatMap(([key, value]): Array<[string, unknown]> =>
    typeof value === 'object' && value !== null ? entries(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
  );
}

describe('message catalogs and the starting language', () => {
  it('has the same keys in English and Simplified Chinese', () => {
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });

  it.each([
    ['en', en],
    ['zh-CN', zhCN],
  ] as const)('has a non-empty text for every key in %s', (_language, catalog) => {
    const empty = entries(catalog).filter(([, text]) => typeof text !== 'string' || text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('records a key found in no catalog only when the page set up the recorder', async () => {
    vi.resetModules();
    const recorded: string[] = [];
    (globalThis as Record<string, unknown>).__CAMBRIAN_MISSING_KEYS__ = recorded;
    try {
      const { i18n: recording } = await import('./i18n.js');
      await recording.changeLanguage('zh-CN');
      expect(recording.t('nav.members')).toBe(zhCN.nav.members);
      expect(recorded).toEqual([]);
      recording.t('members.detail.noSuchKey');
      expect(recorded.filter((miss) => miss.endsWith(':members.detail.noSuchKey'))).not.toEqual([]);
    } finally {
      delete (globalThis as Record<string, unknown>).__CAMBRIAN_MISSING_KEYS__;
      vi.resetModules();
    }
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
