import { describe, expect, it } from 'vitest';
import { initialScoreValues, scoreCalls, scoreProblem, scoringState, type GivenScore, type ScoreCriterion } from './score-form.js';

const IMPACT: ScoreCriterion = { id: 'impact', scaleMin: 1, scaleMax: 10 };
const CRAFT: ScoreCriterion = { id: 'craft', scaleMin: 0, scaleMax: 5 };
const CRITERIA = [IMPACT, CRAFT];
const given = (submissionId: string, criterionId: string, value: number, comment = ''): GivenScore => ({ submissionId, criterionId, value, comment });

describe('scoreProblem', () => {
  it.each([
    [null, IMPACT, 'required'],
    [undefined, IMPACT, 'required'],
    [Number.NaN, IMPACT, 'required'],
    [0.9999, IMPACT, 'outOfScale'],
    [10.0001, IMPACT, 'outOfScale'],
    [-1, CRAFT, 'outOfScale'],
    [1, IMPACT, null],
    [10, IMPACT, null],
    [0, CRAFT, null],
    [7.25, IMPACT, null],
    [7.1234, IMPACT, null],
    [0.1 + 0.2, CRAFT, null], // 0.30000000000000004: float noise, not a fifth decimal the judge typed
    [7.12345, IMPACT, 'tooPrecise'],
  ] as const)('%s on %o: %s', (value, criterion, problem) => {
    expect(scoreProblem(value, criterion)).toBe(problem);
  });
});

describe('initialScoreValues', () => {
  it.each([
    ['nothing scored yet: empty fields', [], { impact: { value: null, comment: '' }, craft: { value: null, comment: '' } }],
    [
      "the judge's earlier values and comments of this submission only",
      [given('s1', 'impact', 8, 'strong'), given('s2', 'craft', 1, 'other submission')],
      { impact: { value: 8, comment: 'strong' }, craft: { value: null, comment: '' } },
    ],
  ] as const)('%s', (_name, scores, expected) => {
    expect(initialScoreValues(CRITERIA, [...scores], 's1')).toEqual(expected);
  });
});

describe('scoreCalls', () => {
  it.each([
    [
      'a first scoring: one call per criterion, in criterion order, empty comments as null',
      [],
      { craft: { value: 4, comment: '' }, impact: { value: 9, comment: '  Clear demo  ' } },
      [
        { submission: 's1', criterion: 'impact', value: 9, comment: 'Clear demo' },
        { submission: 's1', criterion: 'craft', value: 4, comment: null },
      ],
    ],
    [
      're-scoring sends only what changed (a value, or a comment)',
      [given('s1', 'impact', 9, 'Clear demo'), given('s1', 'craft', 4)],
      { impact: { value: 9, comment: 'Clear demo' }, craft: { value: 3.5, comment: '' } },
      [{ submission: 's1', criterion: 'craft', value: 3.5, comment: null }],
    ],
    [
      'a changed comment alone is sent',
      [given('s1', 'impact', 9, 'Clear demo'), given('s1', 'craft', 4)],
      { impact: { value: 9, comment: 'Clear demo, weak docs' }, craft: { value: 4, comment: '' } },
      [{ submission: 's1', criterion: 'impact', value: 9, comment: 'Clear demo, weak docs' }],
    ],
    [
      'nothing changed: no call',
      [given('s1', 'impact', 9), given('s1', 'craft', 4)],
      { impact: { value: 9, comment: '' }, craft: { value: 4, comment: ' ' } },
      [],
    ],
    [
      "another submission's scores do not count as earlier ones",
      [given('s2', 'impact', 9), given('s2', 'craft', 4)],
      { impact: { value: 9, comment: '' }, craft: { value: 4, comment: '' } },
      [
        { submission: 's1', criterion: 'impact', value: 9, comment: null },
        { submission: 's1', criterion: 'craft', value: 4, comment: null },
      ],
    ],
  ] as const)('%s', (_name, scores, values, expected) => {
    expect(scoreCalls(CRITERIA, [...scores], 's1', values as never)).toEqual(expected);
  });

  it.each([
    ['a missing value', { impact: { value: null, comment: '' }, craft: { value: 4, comment: '' } }, 'criterion impact: required'],
    ['a value off the scale', { impact: { value: 9, comment: '' }, craft: { value: 6, comment: '' } }, 'criterion craft: outOfScale'],
  ] as const)('refuses %s (the form validates first)', (_name, values, message) => {
    expect(() => scoreCalls(CRITERIA, [], 's1', values as never)).toThrow(message);
  });
});

describe('scoringState', () => {
  it.each([
    ['no score', [], { state: 'notStarted', scored: 0 }],
    ['one of two criteria', [given('s1', 'craft', 2)], { state: 'partial', scored: 1 }],
    ['every criterion', [given('s1', 'craft', 2), given('s1', 'impact', 5)], { state: 'scored', scored: 2 }],
    ["another submission's scores", [given('s2', 'craft', 2), given('s2', 'impact', 5)], { state: 'notStarted', scored: 0 }],
    ['a score of a deleted criterion does not count', [given('s1', 'gone', 2), given('s1', 'impact', 5)], { state: 'partial', scored: 1 }],
  ] as const)('%s', (_name, scores, expected) => {
    expect(scoringState(CRITERIA, [...scores], 's1')).toEqual(expected);
  });
});
