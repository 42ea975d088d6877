import type { DigestLocale, EmailPreferences } from '#libs/digests';

/** HTML-escapes text for element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const WORDS = {
  en: {
    title: 'Cambrian weekly digest',
    confirm: 'Stop receiving the weekly Cambrian digest at {email}?',
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: 'You are unsubscribed: {email} gets no more weekly digests.',
    preferences: 'E-mail preferences',
    preferencesFor: 'Weekly digest to {email}',
    optIn: 'Send me the weekly digest',
    locale: 'Language',
    localeDefault: 'Community default',
    timeZone: 'Time zone (the digest arrives on Monday morning in it)',
    save: 'Save',
    saved: 'Saved.',
    error: 'This link does not work',
  },
  'zh-CN': {
    title: 'Cambrian 每周摘要',
    confirm: '不再向 {email} 发送 Cambrian 每周摘要？',
    unsubscribeButton: '退订',
    unsubscribed: '已退订：{email} 不会再收到每周摘要。',
    preferences: '邮件设置',
    preferencesFor: '发往 {email} 的每周摘要',
    optIn: '给我发送每周摘要',
    locale: '语言',
    localeDefault: '社区默认',
    timeZone: '时区（摘要在该时区的周一上午送达）',
    save: '保存',
    saved: '已保存。',
    error: '此链接无效',
  },
} satisfies Record<DigestLocale, Record<string, string>>;

type Words = (typeof WORDS)['en'];

function words(locale: DigestLocale | null | undefined): Words {
  return WORDS[locale ?? 'en'] ?? WORDS.en;
}

function fill(template: string, email: string): string {
  return escapeHtml(template).replace('{email}', `<strong>${escapeHtml(email)}</strong>`);
}

function page(locale: DigestLocale | null | undefined, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale ?? 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2933}
button{font-size:1rem;padding:.5rem 1.2rem;border-radius:6px;border:1px solid #3e4c59;background:#3e4c59;color:#fff;cursor:pointer}
label{display:block;margin:1rem 0 .3rem}select,input[type=text]{font-size:1rem;padding:.3rem;width:100%}.note{color:#52606d}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** The page a GET of an unsubscribe link shows: a button that POSTs the one-click body (a GET never unsubscribes). */
export function unsubscribeConfirmPage(preferences: EmailPreferences, action: string): string {
  const w = words(preferences.locale);
  return page(
    preferences.locale,
    w.title,
    `<p>${fill(w.confirm, preferences.email)}</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(w.unsubscribeButton)}</button></form>`,
  );
}

/** The page after unsubscribing. */
export function unsubscribedPage(preferences: EmailPreferences): string {
  const w = words(preferences.locale);
  return page(preferences.locale, w.title, `<p>${fill(w.unsubscribed, preferences.email)}</p>`);
}

/** The preferences form: opt in or out, language, time zone. */
export function preferencesPage(preferences: EmailPreferences, action: string, timeZones: readonly string[], saved: boolean): string {
  const w = words(preferences.locale);
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const zones = timeZones.includes(preferences.timeZone) ? timeZones : [preferences.timeZone, ...timeZones];
  return page(
    preferences.locale,
    w.preferences,
    `${saved ? `<p class="note">${escapeHtml(w.saved)}</p>` : ''}<p>${fill(w.preferencesFor, preferences.email)}</p>
<form method="post" action="${escapeHtml(action)}">
<label><input type="checkbox" name="digestOptIn" value="on"${preferences.digestOptIn ? ' checked' : ''}> ${escapeHtml(w.optIn)}</label>
<label for="locale">${escapeHtml(w.locale)}</label><select id="locale" name="locale">
${option('', w.localeDefault, preferences.locale === null)}${option('en', 'English', preferences.locale === 'en')}${option('zh-CN', '简体中文', preferences.locale === 'zh-CN')}
</select>
<label for="timeZone">${escapeHtml(w.timeZone)}</label><select id="timeZone" name="timeZone">
${zones.map((zone) => option(zone, zone, zone === preferences.timeZone)).join('')}
</select>
<p><button type="submit">${escapeHtml(w.save)}</button></p></form>`,
  );
}

/** The page of a refused link (bad token, no preferences), with the reason. */
export function errorPage(message: string): string {
  return page('en', WORDS.en.error, `<p>${escapeHtml(message)}</p>`);
}
