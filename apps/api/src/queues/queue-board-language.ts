/**
 * The queue dashboard's language. bull-board picks the language of its page, first match wins, from: the
 * language chosen in its own settings dialog (kept in the browser), `uiConfig.locale.lng` (the JSON config
 * block of the page it is served), the browser's language. The console opens the dashboard with its own
 * language as `?lng=` ({@link QUEUE_BOARD_LANGUAGE_PARAM}); the page is then served with that language as
 * its `uiConfig.locale.lng`, so one mount serves both languages and a choice made in the dashboard's own
 * settings still wins.
 */

/** The query parameter naming the console's language (`en` or `zh-CN`) on a link to the dashboard. */
export const QUEUE_BOARD_LANGUAGE_PARAM = 'lng';

/** bull-board's locale (a folder of `@bull-board/ui/dist/static/locales`) for each language of the console. */
export const QUEUE_BOARD_LOCALES: Readonly<Record<string, string>> = { en: 'en-US', 'zh-CN': 'zh-CN' };

/** The dashboard's title (its header and the window's title) in each of its locales; English by default. */
export const QUEUE_BOARD_TITLES: Readonly<Record<string, string>> = { 'en-US': 'Cambrian queues', 'zh-CN': 'Cambrian 队列' };

const CONFIG_BLOCK = /(<script id="__UI_CONFIG__" type="application\/json">)([\s\S]*?)(<\/script>)/;

/**
 * bull-board's locale for the value of `?lng=` (a console language, see {@link QUEUE_BOARD_LOCALES}), or
 * null for a missing, repeated or unknown value (the page is then served as configured).
 */
export function queueBoardLocale(requested: unknown): string | null {
  if (typeof requested !== 'string' || !Object.hasOwn(QUEUE_BOARD_LOCALES, requested)) return null;
  return QUEUE_BOARD_LOCALES[requested]!;
}

/**
 * The dashboard's page (bull-board's rendered `index.ejs`) with `locale` as `uiConfig.locale.lng` and as
 * the `lang` of its `<html>` element, and the locale's title ({@link QUEUE_BOARD_TITLES}) as
 * `uiConfig.boardTitle` and `<title>`. The config block keeps bull-board's escaping of `<` and `>` (it sits
 * in a `<script>` element). A page without the config block is returned unchanged.
 */
export function localizeQueueBoardPage(html: string, locale: string): string {
  const block = CONFIG_BLOCK.exec(html);
  if (!block) return html;
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(block[2]!) as Record<string, unknown>;
  } catch {
    return html;
  }
  const title = QUEUE_BOARD_TITLES[locale] ?? config.boardTitle;
  const localized = { ...config, boardTitle: title, locale: { ...(config.locale as object | undefined), lng: locale } };
  const json = JSON.stringify(localized).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return html
    .replace(CONFIG_BLOCK, (_match, open: string, _json: string, close: string) => `${open}${json}${close}`)
    .replace(/<html lang="[^"]*"/, `<html lang="${locale}"`)
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(String(title))}</title>`);
}

/** `text` with the characters HTML gives a meaning escaped. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
