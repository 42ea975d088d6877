// @vitest-environment node
import dayjs from 'dayjs';
import localeData from 'dayjs/plugin/localeData';
import weekOfYear from 'dayjs/plugin/weekOfYear';
import { describe, expect, it } from 'vitest';
import { isoWeekOfDay } from '../pages/digests/iso-week.js';
import './iso-week-calendar.js';

// the plugins Ant Design's pickers extend dayjs with to number and lay out weeks
dayjs.extend(weekOfYear);
dayjs.extend(localeData);

describe('the date pickers’ calendars', () => {
  it.each(['en', 'zh-cn'])('start weeks on Monday and number them as ISO weeks in %s', (locale) => {
    expect(dayjs().locale(locale).localeData().firstDayOfWeek()).toBe(1);
    for (const day of ['2021-01-03', '2024-12-30', '2026-11-29', '2026-11-30', '2027-01-03']) {
      const week = dayjs(day).locale(locale).week();
      expect(`W${String(week).padStart(2, '0')}`).toBe(isoWeekOfDay(dayjs(day)).slice(5));
    }
  });
});
