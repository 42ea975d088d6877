import { JudgingExceptionCode } from './judging.exception.js';
import {
  assertCanChangeJudging,
  assertCanScore,
  assertCriterionScale,
  assertScoreInScale,
  conflictException,
} from './judging-rules.js';
import type { HackathonStatus } from '../events/hackathon.entity.js';

const codeOf = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('judging rules', () => {
  it.each<[HackathonStatus, string | null, string | null]>([
    ['draft', JudgingExceptionCode.STATUS, null],
    ['registration_open', JudgingExceptionCode.STATUS, null],
    ['running', JudgingExceptionCode.STATUS, null],
    ['judging', null, null],
    ['finished', JudgingExceptionCode.STATUS, JudgingExceptionCode.STATUS],
  ])('status %s: scoring → %s, set-up changes → %s', (status, scoring, change) => {
    expect(codeOf(() => assertCanScore(status))).toBe(scoring);
    expect(codeOf(() => assertCanChangeJudging(status))).toBe(change);
  });

  const scale = { name: 'Impact', weight: 1, scaleMin: 1, scaleMax: 10 };
  it.each([
    [1, null],
    [10, null],
    [7.5, null],
    [0.9999, JudgingExceptionCode.SCORE_OUT_OF_SCALE],
    [10.0001, JudgingExceptionCode.SCORE_OUT_OF_SCALE],
    [5.00001, JudgingExceptionCode.SCORE_OUT_OF_SCALE],
    [Number.NaN, JudgingExceptionCode.SCORE_OUT_OF_SCALE],
  ])('score %s on 1–10 → %s', (value, code) => {
    expect(codeOf(() => assertScoreInScale(value, scale))).toBe(code);
  });

  it('names the criterion and its scale', () => {
    expect(() => assertScoreInScale(11, scale)).toThrow('score 11 is outside the scale of "Impact": a number from 1 to 10');
  });

  it.each([
    [{ weight: 1, scaleMin: 1, scaleMax: 10 }, null],
    [{ weight: 0, scaleMin: 1, scaleMax: 10 }, 'weight must be greater than 0'],
    [{ weight: -2, scaleMin: 1, scaleMax: 10 }, 'weight must be greater than 0'],
    [{ weight: 1, scaleMin: 5, scaleMax: 5 }, 'scaleMax (5) must be greater than scaleMin (5)'],
    [{ weight: 1e12, scaleMin: 1, scaleMax: 10 }, 'weight must be a number between'],
  ])('criterion %j → %s', (criterion, message) => {
    if (message === null) expect(() => assertCriterionScale(criterion)).not.toThrow();
    else expect(() => assertCriterionScale(criterion)).toThrow(message);
  });

  it.each([
    [{ kind: 'same_team' as const, teamName: 'Owls' }, JudgingExceptionCode.SAME_TEAM, 'is a member of team "Owls"'],
    [
      { kind: 'same_organization' as const, organizationName: 'OpenLab', teamMemberLabel: '@ana' },
      JudgingExceptionCode.SAME_ORGANIZATION,
      'are both with organisation "OpenLab"',
    ],
  ])('conflict %j', (conflict, code, text) => {
    const error = conflictException('@judge', 'Fast RWKV', conflict);
    expect(error.code).toBe(code);
    expect(error.message).toContain(text);
  });
});
