import { describe, expect, it } from 'vitest';
import { evidenceLines, memberName, memberRef } from './member-ref.js';

describe('memberRef', () => {
  it('reads a UUID as a member id and anything else as a login', () => {
    expect(memberRef(' 0b7f6a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b ')).toEqual({ id: '0b7f6a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' });
    expect(memberRef('@BlinkDL')).toEqual({ login: 'BlinkDL' });
    expect(memberRef('  ')).toBeNull();
    expect(memberRef(null)).toBeNull();
  });
});

describe('memberName', () => {
  it('prefers the login, then the display name, then a short id', () => {
    expect(memberName({ id: 'abcdef123456', login: 'oak', displayName: 'Oak' })).toBe('oak');
    expect(memberName({ id: 'abcdef123456', login: null, displayName: 'Oak' })).toBe('Oak');
    expect(memberName({ id: 'abcdef123456' })).toBe('abcdef12');
    expect(memberName(null)).toBe('—');
  });
});

describe('evidenceLines', () => {
  it('lists the evidence keys in order, joining arrays and leaving out empty values', () => {
    expect(evidenceLines('{"login":"oak","repositories":["a/b","c/d"],"email":null,"commits":3}')).toEqual(['login: oak', 'repositories: a/b, c/d', 'commits: 3']);
  });

  it('keeps text that is not a JSON object as it is', () => {
    expect(evidenceLines('not json')).toEqual(['not json']);
    expect(evidenceLines('[1,2]')).toEqual(['[1,2]']);
  });
});
