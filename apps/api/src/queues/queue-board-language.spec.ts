import { localizeQueueBoardPage, queueBoardLocale } from './queue-board-language.js';

/** The shape of bull-board's rendered page: the `<html lang>` and the JSON config block (its `<` escaped). */
const PAGE = [
  '<!DOCTYPE html>',
  '<html lang="en" dir="ltr">',
  '<head><base href="/admin/queues/" /><title>Cambrian queues</title></head>',
  '<body><script id="__UI_CONFIG__" type="application/json">{"boardTitle":"Cambrian \\u003cqueues\\u003e","hideDocsLink":true}</script>',
  '<div id="root"></div><script defer src="static/js/main.js"></script></body></html>',
].join('\n');

/** The JSON config block of a page. */
function configOf(html: string): Record<string, unknown> {
  return JSON.parse(/<script id="__UI_CONFIG__" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
}

describe('the queue dashboard in the console language', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['en', 'en-US'],
    [undefined, null],
    ['', null],
    ['fr', null],
    ['toString', null],
    [['zh-CN', 'en'], null],
  ])('maps ?lng=%j to bull-board locale %j', (requested, expected) => {
    expect(queueBoardLocale(requested)).toBe(expected);
  });

  it('serves the page with the locale in its config and its <html lang>, the rest of the config kept', () => {
    const html = localizeQueueBoardPage(PAGE, 'zh-CN');
    expect(configOf(html)).toEqual({ boardTitle: 'Cambrian 队列', hideDocsLink: true, locale: { lng: 'zh-CN' } });
    expect(html).toContain('<title>Cambrian 队列</title>');
    expect(html).toContain('<html lang="zh-CN" dir="ltr">');
    expect(html).toContain('<script defer src="static/js/main.js"></script>');
  });

  it('keeps the config escaped inside its <script> element', () => {
    const html = localizeQueueBoardPage(PAGE.replace('"hideDocsLink":true', '"hideDocsLink":true,"note":"\\u003c/script\\u003e"'), 'en-US');
    expect(configOf(html).note).toBe('</script>');
    expect(html).toContain('"note":"\\u003c/script\\u003e"');
    expect(configOf(html).boardTitle).toBe('Cambrian queues');
  });

  it('replaces a configured locale', () => {
    const configured = PAGE.replace('"hideDocsLink":true', '"hideDocsLink":true,"locale":{"lng":"en-US"}');
    expect(configOf(localizeQueueBoardPage(configured, 'zh-CN')).locale).toEqual({ lng: 'zh-CN' });
  });

  it('leaves a page without the config block alone', () => {
    expect(localizeQueueBoardPage('<html lang="en"><body>Not found</body></html>', 'zh-CN')).toBe('<html lang="en"><body>Not found</body></html>');
  });
});
