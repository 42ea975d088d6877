import type { HackathonStatus } from './hackathon.entity.js';
import { assertSubmissionsOpen, assertTeamsOpen, registrationClosedReason, type RegistrationWindow } from './event-phase.js';

const at = (iso: string) => new Date(iso);
const event = (status: HackathonStatus, opens: string | null = null, closes: string | null = null): RegistrationWindow => ({
  slug: 'spring',
  status,
  registrationOpensAt: opens ? at(opens) : null,
  registrationClosesAt: closes ? at(closes) : null,
});

describe('registrationClosedReason', () => {
  it.each<[string, RegistrationWindow, string, string | null]>([
    ['open, no window', event('registration_open'), '2026-01-01T00:00:00Z', null],
    ['running, no window', event('running'), '2026-01-01T00:00:00Z', null],
    ['draft', event('draft'), '2026-01-01T00:00:00Z', 'registration for spring is not open (status draft)'],
    ['judging', event('judging'), '2026-01-01T00:00:00Z', 'registration for spring is not open (status judging)'],
    ['finished', event('finished'), '2026-01-01T00:00:00Z', 'registration for spring is not open (status finished)'],
    ['before the window', event('registration_open', '2026-02-01T00:00:00Z'), '2026-01-31T23:59:59.999Z', 'registration for spring opens at 2026-02-01T00:00:00.000Z'],
    ['at the window start (inclusive)', event('registration_open', '2026-02-01T00:00:00Z'), '2026-02-01T00:00:00Z', null],
    ['just before the window end', event('running', null, '2026-02-10T00:00:00Z'), '2026-02-09T23:59:59.999Z', null],
    ['at the window end (exclusive)', event('running', null, '2026-02-10T00:00:00Z'), '2026-02-10T00:00:00Z', 'registration for spring closed at 2026-02-10T00:00:00.000Z'],
  ])('%s', (_name, hackathon, now, expected) => {
    expect(registrationClosedReason(hackathon, at(now))).toBe(expected);
  });
});

describe('team and submission phases', () => {
  it.each<[HackathonStatus, boolean, boolean]>([
    ['draft', false, false],
    ['registration_open', true, false],
    ['running', true, true],
    ['judging', false, false],
    ['finished', false, false],
  ])('%s: teams open %s, submissions open %s', (status, teams, submissions) => {
    const check = (fn: () => void) => {
      try {
        fn();
        return true;
      } catch (error) {
        expect(error).toMatchObject({ code: 'CONFLICT' });
        return false;
      }
    };
    expect(check(() => assertTeamsOpen({ slug: 's', status }))).toBe(teams);
    expect(check(() => assertSubmissionsOpen({ slug: 's', status }))).toBe(submissions);
  });
});
