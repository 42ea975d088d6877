// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { formatAge, formatInstant, formatShare } from './format.js';

describe('formatting of api values', () => {
  it.each([
    [null, 'en', '—'],
    [0, 'en', '0 seconds'],
    [59, 'en', '59 seconds'],
    [3_725, 'en', '1 hour 2 minutes'],
    [2 * 86_400 + 3 * 3_600 + 59, 'en', '2 days 3 hours'],
    [3_725, 'zh-CN', '1小时2分钟'],
  ])('formats an age of %j seconds in %s as %j', (seconds, language, text) => {
    expect(formatAge(seconds, language)).toBe(text);
  });

  it('formats instants in UTC and shares as percentages', () => {
    expect(formatInstant('2026-11-30T04:05:00Z', 'en')).toBe('Nov 30, 2026, 4:05 AM UTC');
    expect(formatInstant(null, 'en')).toBe('—');
    expect(formatShare(0.4567, 'en')).toBe('45.7%');
    expect(formatShare(null, 'zh-CN')).toBe('—');
  });
});
