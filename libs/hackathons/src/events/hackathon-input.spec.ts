import { parseHackathonFields, type HackathonFieldsInput } from './hackathon-input.js';

const base: HackathonFieldsInput = {
  slug: 'rwkv-spring',
  name: 'RWKV Spring Hack',
  startsAt: new Date('2026-03-01T00:00:00Z'),
  endsAt: new Date('2026-03-03T00:00:00Z'),
};

describe('parseHackathonFields', () => {
  it('fills defaults and normalises', () => {
    expect(parseHackathonFields({ ...base, name: '  RWKV   Spring\tHack ', trackedTopic: ' RWKV-Hack ', optInLabel: ' hackathon-accepted ' })).toEqual({
      slug: 'rwkv-spring',
      name: 'RWKV Spring Hack',
      description: '',
      anywhereOnEarth: false,
      startDate: null,
      endDate: null,
      startsAt: new Date('2026-03-01T00:00:00Z'),
      endsAt: new Date('2026-03-03T00:00:00Z'),
      registrationOpensAt: null,
      registrationClosesAt: null,
      minTeamSize: 1,
      maxTeamSize: 5,
      optInLabel: 'hackathon-accepted',
      trackedTopic: 'rwkv-hack',
    });
  });

  it('computes an anywhere-on-earth window from dates and ignores given instants', () => {
    const fields = parseHackathonFields({ ...base, anywhereOnEarth: true, startDate: '2026-03-14', endDate: '2026-03-15' });
    expect([fields.startsAt.toISOString(), fields.endsAt.toISOString(), fields.startDate, fields.endDate]).toEqual([
      '2026-03-13T10:00:00.000Z',
      '2026-03-16T12:00:00.000Z',
      '2026-03-14',
      '2026-03-15',
    ]);
  });

  it.each<[string, Partial<HackathonFieldsInput>, RegExp]>([
    ['an upper-case slug', { slug: 'RWKV' }, /slug: must be 1–63 lower-case/],
    ['a slug starting with a hyphen', { slug: '-rwkv' }, /slug:/],
    ['a 64-character slug', { slug: 'a'.repeat(64) }, /slug:/],
    ['a slug shaped like a hackathon id', { slug: '0b7c4c62-3f0e-4b8a-9d2e-1f3a5b7c9d11' }, /slug: must not have the form of a UUID/],
    ['an empty name', { name: '   ' }, /name: must not be empty/],
    ['a long name', { name: 'n'.repeat(201) }, /name: must be at most 200/],
    ['an end before the start', { endsAt: new Date('2026-02-01T00:00:00Z') }, /endsAt: must be after startsAt/],
    ['an empty window', { endsAt: new Date('2026-03-01T00:00:00Z') }, /endsAt: must be after startsAt/],
    ['no window', { startsAt: null, endsAt: null }, /startsAt: is required.*endsAt: is required/],
    ['AoE without dates', { anywhereOnEarth: true }, /startDate: is required for an anywhere-on-earth window/],
    ['AoE dates reversed', { anywhereOnEarth: true, startDate: '2026-03-15', endDate: '2026-03-14' }, /endDate: must not be before startDate/],
    ['an AoE end date in year 9999 (its instant would not be RFC 3339)', { anywhereOnEarth: true, startDate: '2026-03-01', endDate: '9999-12-31' }, /endDate: must fall in the years 2000–2199/],
    ['a start instant in year 1', { startsAt: new Date('0001-01-01T00:00:00Z') }, /startsAt: must fall in the years 2000–2199/],
    ['AoE with a day that does not exist', { anywhereOnEarth: true, startDate: '2026-02-30', endDate: '2026-03-01' }, /startDate: must be a calendar date/],
    ['max below min', { minTeamSize: 3, maxTeamSize: 2 }, /maxTeamSize: must be at least minTeamSize \(3\)/],
    ['min zero', { minTeamSize: 0 }, /minTeamSize: must be at least 1/],
    ['max over 100', { maxTeamSize: 101 }, /maxTeamSize: must be at most 100/],
    ['a fractional size', { maxTeamSize: 2.5 }, /maxTeamSize: must be an integer/],
    [
      'registration closing before it opens',
      { registrationOpensAt: new Date('2026-02-10T00:00:00Z'), registrationClosesAt: new Date('2026-02-01T00:00:00Z') },
      /registrationClosesAt: must be after registrationOpensAt/,
    ],
    ['registration opening after the event', { registrationOpensAt: new Date('2026-03-05T00:00:00Z') }, /registrationOpensAt: must be before the event ends/],
    ['an opt-in label that disqualifies', { optInLabel: 'Not-SPAM' }, /optInLabel: must not contain spam or invalid/],
    ['an empty opt-in label', { optInLabel: ' ' }, /optInLabel: must not be empty/],
    ['a topic with spaces', { trackedTopic: 'rwkv hack' }, /trackedTopic: must be a GitHub topic/],
    ['a 51-character topic', { trackedTopic: 't'.repeat(51) }, /trackedTopic:/],
    ['an invalid instant', { startsAt: new Date('nope') }, /startsAt/],
    ['a NUL character in the name', { name: 'RWKV\u0000Hack' }, /name: must not contain a NUL character/],
    ['a NUL character in the description', { description: 'about\u0000' }, /description: must not contain a NUL character/],
    ['a NUL character in the opt-in label', { optInLabel: 'accepted\u0000' }, /optInLabel: must not contain a NUL character/],
  ])('refuses %s with BAD_USER_INPUT', (_name, patch, message) => {
    expect(() => parseHackathonFields({ ...base, ...patch })).toThrow(message);
    expect(() => parseHackathonFields({ ...base, ...patch })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });
});
