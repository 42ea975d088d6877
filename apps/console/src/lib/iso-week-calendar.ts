import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import updateLocale from 'dayjs/plugin/updateLocale';

/**
 * Makes the date pickers' calendars ISO 8601 in both languages: weeks start on Monday and week 1 is the
 * week of 4 January (`yearStart: 4`), so a week picker's rows and numbers are the ISO weeks the digests
 * use. Ant Design's pickers read these from dayjs's `en` and `zh-cn` locales (the Chinese one is loaded
 * here: Ant Design's zh_CN locale does not load it). Imported once, for its effect, by the app.
 */
dayjs.extend(updateLocale);
for (const locale of ['en', 'zh-cn']) dayjs.updateLocale(locale, { weekStart: 1, yearStart: 4 });
