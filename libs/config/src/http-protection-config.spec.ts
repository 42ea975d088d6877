import { parseOrigins, parseRateLimitBudget, parseTrustProxy } from './http-protection-config.js';

describe('parseRateLimitBudget', () => {
  it.each([
    ['300/60s', { points: 300, windowSeconds: 60 }],
    [' 1/1s ', { points: 1, windowSeconds: 1 }],
    ['20/86400s', { points: 20, windowSeconds: 86_400 }],
    ['off', null],
  ])('reads %j', (value, expected) => {
    expect(parseRateLimitBudget(value)).toEqual(expected);
  });

  it.each(['300', '300/60', '0/60s', '10/0s', '10/86401s', '-1/60s', 'ten/60s', '10/1m', ''])('refuses %j naming the form', (value) => {
    expect(() => parseRateLimitBudget(value)).toThrow('<requests>/<seconds>s');
  });
});

describe('parseOrigins', () => {
  it('reads a comma-separated list of origins', () => {
    expect(parseOrigins('https://console.example.org, http://localhost:5173,')).toEqual([
      'https://console.example.org',
      'http://localhost:5173',
    ]);
  });

  it.each(['https://console.example.org/', 'https://x.org/app', 'ftp://x.org', 'console.example.org', '*'])('refuses %j', (value) => {
    expect(() => parseOrigins(value)).toThrow('is not an origin');
  });
});

describe('parseTrustProxy', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, loopback', '10.0.0.0/8, loopback'],
  ])('reads %j', (value, expected) => {
    expect(parseTrustProxy(value)).toEqual(expected);
  });

  it('reads a hop count as trusting the nearest hops only', () => {
    const trust = parseTrustProxy('2') as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => trust('10.0.0.1', hop))).toEqual([true, true, false]);
  });
});
