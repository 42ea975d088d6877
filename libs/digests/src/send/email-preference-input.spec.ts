import { canonicalTimeZone, normaliseEmailAddress, parseLocalePreference } from './email-preference-input.js';

describe('e-mail preference input', () => {
  it.each([
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/shanghai', 'Asia/Shanghai'],
    [' UTC ', 'UTC'],
    ['Europe/Berlin', 'Europe/Berlin'],
  ])('takes the time zone %s as %s', (given, expected) => {
    expect(canonicalTimeZone(given)).toBe(expected);
  });

  it.each(['Mars/Olympus', '', '+08:00', 'GMT+8 but not'])('refuses the time zone "%s", naming it', (zone) => {
    expect(() => canonicalTimeZone(zone)).toThrow(new RegExp(`"${zone.replace(/[+]/g, '\\+')}" is not an IANA time zone`));
  });

  it('normalises an address and refuses what is none', () => {
    expect(normaliseEmailAddress(' Ada@Example.ORG ')).toBe('Ada@example.org');
    expect(() => normaliseEmailAddress('ada@')).toThrow(/"ada@" is not an e-mail address/);
    expect(() => normaliseEmailAddress(`${'a'.repeat(250)}@b.org`)).toThrow(/is not an e-mail address/);
  });

  it('reads locales, with none meaning the ecosystem default', () => {
    expect(parseLocalePreference('zh-cn')).toBe('zh-CN');
    expect(parseLocalePreference('')).toBeNull();
    expect(parseLocalePreference(null)).toBeNull();
    expect(() => parseLocalePreference('fr')).toThrow(/"fr" is not a digest locale: use en or zh-CN/);
  });
});
