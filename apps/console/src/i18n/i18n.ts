import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import zhCN from './locales/zh-CN.json';

/** The console's languages: English and Simplified Chinese (the digests' languages). */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the chosen language is kept between visits. */
export const LANGUAGE_STORAGE_KEY = 'cambrian.console.language';

/** The language to start in: the one chosen before, else Chinese for a Chinese browser, else English. */
export function initialLanguage(stored: string | null, browserLanguages: readonly string[]): Language {
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  return browserLanguages.some((language) => language.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

function storedLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(LANGUAGE_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage refused (privacy mode): start from the browser's language
  }
}

/** Switches the language and remembers it (localStorage). */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // not remembered, but still switched
  }
  await i18n.changeLanguage(language);
}

/**
 * Where the console records the keys it asked for and found in no catalog, when the page defines it
 * (`window.__CAMBRIAN_MISSING_KEYS__ = []` before the console loads, as its Chromium specs do): one
 * `"<language>:<key>"` per miss. Absent in normal use, and then nothing is recorded.
 */
export const MISSING_KEYS_GLOBAL = '__CAMBRIAN_MISSING_KEYS__';

/** The array a page set up to record missing keys in ({@link MISSING_KEYS_GLOBAL}), if any. */
function missingKeysRecorder(): string[] | null {
  const recorder = (globalThis as Record<string, unknown>)[MISSING_KEYS_GLOBAL];
  return Array.isArray(recorder) ? (recorder as string[]) : null;
}

/** The console's i18next instance, with both catalogs bundled (no loading step). */
export const i18n = i18next.createInstance();

const missingKeys = missingKeysRecorder();

// `<html lang>` and the window's title follow the language (screen readers read with `lang`, and the
// browser picks CJK fonts by it)
i18n.on('languageChanged', (language: string) => {
  if (!globalThis.document) return;
  globalThis.document.documentElement.lang = language;
  globalThis.document.title = i18n.t('app.title');
});

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: initialLanguage(storedLanguage(), globalThis.navigator?.languages ?? []),
  fallbackLng: 'en',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // React escapes
  ...(missingKeys && {
    saveMissing: true,
    missingKeyHandler: (languages: readonly string[], _namespace: string, key: string) => {
      for (const language of languages) missingKeys.push(`${language}:${key}`);
    },
  }),
});
