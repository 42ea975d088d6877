import { INVITE_CODE, generateInviteCode, nextCaptain, parseInviteCode, parseTeamName } from './team-rules.js';

describe('invite codes', () => {
  it('are URL-safe, 22 characters, and differ every time', () => {
    const codes = new Set(Array.from({ length: 1000 }, generateInviteCode));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(code).toMatch(INVITE_CODE);
    for (const code of codes) expect(encodeURIComponent(code)).toBe(code);
  });

  it.each([
    [' AAAAAAAAAAAAAAAAAAAAAA ', 'AAAAAAAAAAAAAAAAAAAAAA'],
    ['a-b_c-d_e-f_g-h_i-j_kl', 'a-b_c-d_e-f_g-h_i-j_kl'],
  ])('reads %j', (value, code) => {
    expect(parseInviteCode(value)).toBe(code);
  });

  it.each([['short'], ['A'.repeat(23)], ['AAAAAAAAAAAAAAAAAAAAA+'], ['AAAAAAAAAAAAAAAAAAAAA=']])('refuses %j', (value) => {
    expect(() => parseInviteCode(value)).toThrow(/not an invite code/);
  });
});

describe('parseTeamName', () => {
  it.each([
    ['  Token   Shifters ', 'Token Shifters'],
    ['小组 一', '小组 一'],
    ['x'.repeat(100), 'x'.repeat(100)],
  ])('reads %j as %j', (value, name) => {
    expect(parseTeamName(value)).toBe(name);
  });

  it.each([
    ['   ', /a team needs a name/],
    ['x'.repeat(101), /at most 100/],
    ['evil\u202Eeman', /bidirectional/],
    ['tab\u0007bell', /control/],
  ])('refuses %j', (value, message) => {
    expect(() => parseTeamName(value)).toThrow(message);
  });
});

describe('nextCaptain', () => {
  const at = (iso: string) => new Date(iso);
  it.each<[string, Array<[string, string]>, string | null]>([
    ['nobody left', [], null],
    ['the one left', [['b', '2026-01-02T00:00:00Z']], 'b'],
    ['the longest-standing', [['c', '2026-01-03T00:00:00Z'], ['b', '2026-01-02T00:00:00Z'], ['d', '2026-01-04T00:00:00Z']], 'b'],
    ['ties by member id', [['z', '2026-01-02T00:00:00Z'], ['m', '2026-01-02T00:00:00Z']], 'm'],
  ])('%s', (_name, members, expected) => {
    expect(nextCaptain(members.map(([memberId, joinedAt]) => ({ memberId, joinedAt: at(joinedAt) })))).toBe(expected);
  });
});
