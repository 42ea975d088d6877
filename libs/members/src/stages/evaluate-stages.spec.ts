import { evaluateStages, isoWeekStart } from './evaluate-stages.js';
import { DEFAULT_STAGE_RULES, type StageRules } from './stage-rules.js';
import type { StageEvent, StageSignal } from './stage.types.js';

let next = 0;
const ev = (at: string, signal: StageSignal, extra: Partial<StageEvent> = {}): StageEvent => {
  next += 1;
  return { activityId: String(next), sortKey: `k${String(next).padStart(4, '0')}`, occurredAt: new Date(at), signal, ...extra };
};
const NOW = new Date('2025-01-01T00:00:00Z');
const path = (events: StageEvent[], rules: StageRules = DEFAULT_STAGE_RULES, now = NOW) =>
  evaluateStages(events, rules, now).transitions.map((t) => `${t.from ?? '-'}>${t.to}@${t.at.toISOString().slice(0, 10)}`);

describe('isoWeekStart', () => {
  it.each([
    ['2024-01-01T12:00:00Z', '2024-01-01'], // a Monday
    ['2024-01-07T23:59:59Z', '2024-01-01'], // Sunday of the same ISO week
    ['2024-01-08T00:00:00Z', '2024-01-08'],
    ['2021-01-03T10:00:00Z', '2020-12-28'], // ISO week 53 of 2020
  ])('%s is in the week of %s', (at, monday) => {
    expect(new Date(isoWeekStart(new Date(at))).toISOString().slice(0, 10)).toBe(monday);
  });
});

describe('evaluateStages (default rules)', () => {
  it('climbs observer → user → first-time contributor, dated at the activities', () => {
    expect(path([ev('2024-11-03T00:00:00Z', 'contribute'), ev('2024-11-01T00:00:00Z', 'observe'), ev('2024-11-02T00:00:00Z', 'participate')])).toEqual([
      '->OBSERVER@2024-11-01',
      'OBSERVER>USER@2024-11-02',
      'USER>FIRST_TIME_CONTRIBUTOR@2024-11-03',
    ]);
  });

  it('skips stages on a first accepted contribution, and records the skipped ones as reached at that instant', () => {
    const result = evaluateStages([ev('2024-12-01T00:00:00Z', 'contribute')], DEFAULT_STAGE_RULES, NOW);
    expect(path([ev('2024-12-01T00:00:00Z', 'contribute')])).toEqual(['->FIRST_TIME_CONTRIBUTOR@2024-12-01']);
    expect(result.reachedAt.OBSERVER).toEqual(new Date('2024-12-01T00:00:00Z'));
    expect(result.reachedAt.USER).toEqual(new Date('2024-12-01T00:00:00Z'));
    expect(result.reachedAt.REGULAR_CONTRIBUTOR).toBeUndefined();
  });

  it('makes a regular on contributions in 3 distinct ISO weeks within 12', () => {
    expect(
      path([
        ev('2024-10-01T00:00:00Z', 'contribute'),
        ev('2024-10-02T00:00:00Z', 'contribute'), // same week
        ev('2024-10-20T00:00:00Z', 'contribute'),
        ev('2024-12-15T00:00:00Z', 'contribute'), // third week, 11 weeks after the first
      ]),
    ).toEqual(['->FIRST_TIME_CONTRIBUTOR@2024-10-01', 'FIRST_TIME_CONTRIBUTOR>REGULAR_CONTRIBUTOR@2024-12-15']);
  });

  it('does not count weeks older than the window', () => {
    const result = evaluateStages(
      [ev('2024-01-01T00:00:00Z', 'contribute'), ev('2024-02-01T00:00:00Z', 'contribute'), ev('2024-06-01T00:00:00Z', 'contribute')],
      DEFAULT_STAGE_RULES,
      new Date('2024-07-01T00:00:00Z'),
    );
    expect(result.stage).toBe('FIRST_TIME_CONTRIBUTOR');
    expect(result.contributionWeeks).toEqual(['2024-05-27']);
  });

  it('makes a maintainer on one merge of another member’s pull request, or on the third approval', () => {
    expect(path([ev('2024-12-01T00:00:00Z', 'participate'), ev('2024-12-02T00:00:00Z', 'merge_of_other')])).toEqual([
      '->USER@2024-12-01',
      'USER>MAINTAINER@2024-12-02',
    ]);
    expect(
      path([ev('2024-12-01T00:00:00Z', 'approval_of_other'), ev('2024-12-02T00:00:00Z', 'approval_of_other'), ev('2024-12-03T00:00:00Z', 'approval_of_other')]),
    ).toEqual(['->USER@2024-12-01', 'USER>MAINTAINER@2024-12-03']);
  });

  it('lapses a contributor at last contribution + 26 weeks, and returns them to their rank on the next contribution', () => {
    const events = [ev('2023-01-02T00:00:00Z', 'contribute'), ev('2023-09-01T00:00:00Z', 'participate'), ev('2024-03-01T00:00:00Z', 'contribute')];
    expect(path(events)).toEqual([
      '->FIRST_TIME_CONTRIBUTOR@2023-01-02',
      'FIRST_TIME_CONTRIBUTOR>LAPSED@2023-07-03',
      'LAPSED>FIRST_TIME_CONTRIBUTOR@2024-03-01',
      'FIRST_TIME_CONTRIBUTOR>LAPSED@2024-08-30',
    ]);
    const result = evaluateStages(events, DEFAULT_STAGE_RULES, NOW);
    expect(result.lapses).toEqual([
      { lapsedAt: new Date('2023-07-03T00:00:00Z'), returnedAt: new Date('2024-03-01T00:00:00Z') },
      { lapsedAt: new Date('2024-08-30T00:00:00Z'), returnedAt: null },
    ]);
    expect(result.lapseDueAt).toBeNull();
    expect(result.transitions[1].activityId).toBe(events[0].activityId);
  });

  it('does not lapse before the period ends, and says when it will', () => {
    const result = evaluateStages([ev('2024-12-01T00:00:00Z', 'contribute')], DEFAULT_STAGE_RULES, NOW);
    expect(result.stage).toBe('FIRST_TIME_CONTRIBUTOR');
    expect(result.lapseDueAt).toEqual(new Date('2025-06-01T00:00:00Z'));
  });

  it('never lapses observers and users', () => {
    expect(evaluateStages([ev('2020-01-01T00:00:00Z', 'participate')], DEFAULT_STAGE_RULES, NOW).stage).toBe('USER');
  });

  it('gives the same path whatever order the events come in', () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      ev(new Date(Date.UTC(2023, 0, 1) + ((i * 7919) % 600) * 86_400_000).toISOString(), (['observe', 'participate', 'contribute', 'approval_of_other'] as const)[i % 4]),
    );
    const reversed = [...events].reverse();
    expect(evaluateStages(reversed, DEFAULT_STAGE_RULES, NOW)).toEqual(evaluateStages(events, DEFAULT_STAGE_RULES, NOW));
  });

  it('follows changed rules', () => {
    const rules: StageRules = { ...DEFAULT_STAGE_RULES, regular: { minWeeks: 2, windowWeeks: 4 } };
    expect(path([ev('2024-12-02T00:00:00Z', 'contribute'), ev('2024-12-09T00:00:00Z', 'contribute')], rules)).toEqual([
      '->FIRST_TIME_CONTRIBUTOR@2024-12-02',
      'FIRST_TIME_CONTRIBUTOR>REGULAR_CONTRIBUTOR@2024-12-09',
    ]);
  });
});
