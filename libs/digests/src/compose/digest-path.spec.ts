import { DEFAULT_STAGE_RULES, type StageRules } from '#libs/members';
import { nextStep, type StoredStage } from './digest-path.js';

const stored = (stage: StoredStage['stage'], contributionWeeks: string[] = [], extra: Partial<StoredStage> = {}): StoredStage => ({
  stage,
  contributionWeeks,
  regularAt: null,
  maintainerAt: null,
  ...extra,
});
// the digest of ISO week 2026-W48 (UTC Monday 23 November) is written at its end
const END_OF_W48 = new Date('2026-11-30T00:00:00Z');
const rules = (regular: StageRules['regular']): StageRules => ({ ...DEFAULT_STAGE_RULES, regular });

describe('the next stage and what it takes, from the rules in force', () => {
  it.each([
    ['a user needs one accepted contribution', stored('USER'), DEFAULT_STAGE_RULES, { kind: 'first_contribution', to: 'FIRST_TIME_CONTRIBUTOR' }],
    ['an observer too', stored('OBSERVER'), DEFAULT_STAGE_RULES, { kind: 'first_contribution', to: 'FIRST_TIME_CONTRIBUTOR' }],
    // 3 of 12 (defaults), contributed this week: 2 more weeks, within the 11 weeks the window still holds this one
    ['a first-timer of this week', stored('FIRST_TIME_CONTRIBUTOR', ['2026-11-23']), DEFAULT_STAGE_RULES, { kind: 'regular', needed: 2, withinWeeks: 11 }],
    ['a first-timer with two weeks already', stored('FIRST_TIME_CONTRIBUTOR', ['2026-10-05', '2026-11-23']), DEFAULT_STAGE_RULES, { kind: 'regular', needed: 1, withinWeeks: 4 }],
    // 2026-09-07 is 11 weeks before W48: it leaves the window next week, so it cannot count
    ['a week about to leave the window', stored('FIRST_TIME_CONTRIBUTOR', ['2026-09-07', '2026-11-23']), DEFAULT_STAGE_RULES, { kind: 'regular', needed: 2, withinWeeks: 11 }],
    ['a first-timer whose weeks all left the window', stored('FIRST_TIME_CONTRIBUTOR', ['2025-01-06']), DEFAULT_STAGE_RULES, { kind: 'regular', needed: 3, withinWeeks: 12 }],
    ['rules of 2 in 4 weeks', stored('FIRST_TIME_CONTRIBUTOR', ['2026-11-16']), rules({ minWeeks: 2, windowWeeks: 4 }), { kind: 'regular', needed: 1, withinWeeks: 2 }],
    ['a regular contributor and the maintainer rule', stored('REGULAR_CONTRIBUTOR'), { ...DEFAULT_STAGE_RULES, maintainer: { minMergesOfOthers: 2, minApprovalsOfOthers: 5 } }, { kind: 'maintainer', merges: 2, approvals: 5 }],
    ['a lapsed regular comes back regular', stored('LAPSED', [], { regularAt: new Date('2025-01-01T00:00:00Z') }), DEFAULT_STAGE_RULES, { kind: 'return', to: 'REGULAR_CONTRIBUTOR' }],
    ['a lapsed first-timer comes back a first-timer', stored('LAPSED'), DEFAULT_STAGE_RULES, { kind: 'return', to: 'FIRST_TIME_CONTRIBUTOR' }],
  ] as const)('%s', (_name, member, stageRules, expected) => {
    expect(nextStep(member, stageRules, END_OF_W48)).toMatchObject(expected);
  });

  it('does not count the week the digest ends in twice when it is still that UTC week (a zone east of UTC)', () => {
    // Europe/Berlin's week 33 ends on Sunday 16 August 22:00 UTC, still in UTC week 33, where she contributed
    expect(nextStep(stored('FIRST_TIME_CONTRIBUTOR', ['2026-08-10']), DEFAULT_STAGE_RULES, new Date('2026-08-16T22:00:00Z'))).toMatchObject({ needed: 2, withinWeeks: 11 });
  });

  it('has nothing after maintainer', () => {
    expect(nextStep(stored('MAINTAINER'), DEFAULT_STAGE_RULES, END_OF_W48)).toBeNull();
  });
});
