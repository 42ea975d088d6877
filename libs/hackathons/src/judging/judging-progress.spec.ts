import { computeJudgingProgress } from './judging-progress.js';

describe('computeJudgingProgress', () => {
  it.each([
    [
      'counts full, partial and untouched assignments per judge',
      3,
      ['j1', 'j2'],
      [
        { judgeId: 'j1', submissionId: 's1', scoredCriteria: 3 },
        { judgeId: 'j1', submissionId: 's2', scoredCriteria: 1 },
        { judgeId: 'j2', submissionId: 's1', scoredCriteria: 0 },
        { judgeId: 'j2', submissionId: 's2', scoredCriteria: 3 },
      ],
      { assignments: 4, fullyScored: 2, partiallyScored: 1, notStarted: 1, completion: 0.5 },
      [
        { judgeId: 'j1', assigned: 2, fullyScored: 1, partiallyScored: 1, notStarted: 0, completion: 0.5 },
        { judgeId: 'j2', assigned: 2, fullyScored: 1, partiallyScored: 0, notStarted: 1, completion: 0.5 },
      ],
    ],
    [
      'a judge without assignments has no completion',
      2,
      ['j1'],
      [],
      { assignments: 0, fullyScored: 0, partiallyScored: 0, notStarted: 0, completion: null },
      [{ judgeId: 'j1', assigned: 0, fullyScored: 0, partiallyScored: 0, notStarted: 0, completion: null }],
    ],
    [
      'without criteria nothing is scored',
      0,
      ['j1'],
      [{ judgeId: 'j1', submissionId: 's1', scoredCriteria: 0 }],
      { assignments: 1, fullyScored: 0, partiallyScored: 0, notStarted: 1, completion: 0 },
      [{ judgeId: 'j1', assigned: 1, fullyScored: 0, partiallyScored: 0, notStarted: 1, completion: 0 }],
    ],
  ])('%s', (_name, criteria, judges, assignments, overall, perJudge) => {
    const progress = computeJudgingProgress(criteria, judges, assignments);
    expect(progress).toEqual({ criteria, ...overall, judges: perJudge });
  });
});
