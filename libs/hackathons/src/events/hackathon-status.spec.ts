import type { HackathonStatus } from './hackathon.entity.js';
import { assertStatusTransition, nextHackathonStatus, parseHackathonStatus } from './hackathon-status.js';

describe('hackathon status transitions', () => {
  it.each<[HackathonStatus, HackathonStatus]>([
    ['draft', 'registration_open'],
    ['registration_open', 'running'],
    ['running', 'judging'],
    ['judging', 'finished'],
  ])('allows %s → %s', (from, to) => {
    expect(() => assertStatusTransition(from, to)).not.toThrow();
    expect(nextHackathonStatus(from)).toBe(to);
  });

  it.each<[HackathonStatus, HackathonStatus, RegExp]>([
    ['draft', 'running', /forward past a step from draft to running: the only next status is registration_open/],
    ['draft', 'finished', /forward past a step/],
    ['registration_open', 'judging', /forward past a step/],
    ['running', 'registration_open', /cannot move back from running to registration_open/],
    ['finished', 'judging', /cannot move back.*a finished hackathon does not change status/],
    ['judging', 'judging', /already judging: the only next status is finished/],
    ['finished', 'finished', /already finished/],
  ])('refuses %s → %s with CONFLICT', (from, to, message) => {
    expect(() => assertStatusTransition(from, to)).toThrow(message);
    try {
      assertStatusTransition(from, to);
    } catch (error) {
      expect(error).toMatchObject({ name: 'HackathonException', code: 'CONFLICT' });
    }
  });

  it.each([
    ['RUNNING', 'running'],
    [' registration_open ', 'registration_open'],
  ])('reads %j as %s', (value, status) => {
    expect(parseHackathonStatus(value)).toBe(status);
  });

  it('refuses an unknown status', () => {
    expect(() => parseHackathonStatus('open')).toThrow(/not a hackathon status/);
  });
});
