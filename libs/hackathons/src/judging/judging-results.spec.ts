import { computeJudgingResults, normalizeJudge, weightedTotal, type ResultsCriterion, type ResultsScore } from './judging-results.js';

const c = (id: string, weight: number, scaleMin = 0, scaleMax = 10): ResultsCriterion => ({ id, weight, scaleMin, scaleMax });
/** scores from a table: judge → submission → values in criterion order */
function scores(table: Record<string, Record<string, number[]>>, criteria: ResultsCriterion[]): ResultsScore[] {
  return Object.entries(table).flatMap(([judgeId, bySubmission]) =>
    Object.entries(bySubmission).flatMap(([submissionId, values]) =>
      values.map((value, i) => ({ judgeId, submissionId, criterionId: criteria[i].id, value })),
    ),
  );
}
const subs = (...ids: string[]) => ids.map((id) => ({ id, title: id }));

describe('weightedTotal', () => {
  it.each([
    ['one criterion, top of scale', [c('a', 1)], { a: 10 }, 100],
    ['one criterion, bottom of scale', [c('a', 1)], { a: 0 }, 0],
    ['scale 1–10 maps 1 to 0', [c('a', 1, 1, 10)], { a: 1 }, 0],
    ['weights 3:1', [c('a', 3), c('b', 1)], { a: 10, b: 0 }, 75],
    ['mixed scales combine by weight', [c('a', 1, 1, 5), c('b', 1, 0, 100)], { a: 5, b: 50 }, 75],
    ['missing criterion: no total', [c('a', 1), c('b', 1)], { a: 10 }, null],
    ['no criteria: no total', [], {}, null],
  ])('%s', (_name, criteria, values, expected) => {
    const total = weightedTotal(criteria, new Map(Object.entries(values)));
    if (expected === null) expect(total).toBeNull();
    else expect(total).toBeCloseTo(expected, 10);
  });
});

describe('normalizeJudge', () => {
  it.each([
    ['spread', { s1: 20, s2: 60, s3: 100 }, null, { s1: -Math.sqrt(1.5), s2: 0, s3: Math.sqrt(1.5) }],
    ['one submission: z 0', { s1: 80 }, 'single_submission', { s1: 0 }],
    ['no spread: z 0', { s1: 70, s2: 70 }, 'no_spread', { s1: 0, s2: 0 }],
  ])('%s', (_name, totals, degenerate, expected) => {
    const { info, z } = normalizeJudge('j', new Map(Object.entries(totals)));
    expect(info.degenerate).toBe(degenerate);
    for (const [id, value] of Object.entries(expected)) expect(z.get(id)).toBeCloseTo(value, 10);
  });
});

describe('computeJudgingResults', () => {
  const one = [c('x', 1)];
  // J1 spreads widely, J2 narrowly: raw ranks A > C > B, normalised C > A > B
  const spreadCase = scores({ j1: { A: [10], B: [2], C: [6] }, j2: { A: [5], B: [9], C: [8] } }, one);

  it.each([
    ['raw ranks by mean weighted total', false, ['A', 'C', 'B'], [1, 2, 3]],
    ['normalisation changes the order', true, ['C', 'A', 'B'], [1, 2, 3]],
  ])('%s', (_name, normalized, order, ranks) => {
    const result = computeJudgingResults({ criteria: one, submissions: subs('A', 'B', 'C'), scores: spreadCase, normalized });
    expect(result.submissions.map((s) => s.submissionId)).toEqual(order);
    expect(result.submissions.map((s) => s.rank)).toEqual(ranks);
    expect(result.submissions.every((s) => s.tie === null)).toBe(true);
  });

  it('reports raw and normalised means side by side', () => {
    const result = computeJudgingResults({ criteria: one, submissions: subs('A', 'B', 'C'), scores: spreadCase, normalized: false });
    const a = result.submissions.find((s) => s.submissionId === 'A')!;
    expect(a.rawMean).toBeCloseTo(75, 10);
    expect(a.finalScore).toBe(a.rawMean);
    expect(a.normalizedMean).toBeLessThan(0);
    expect(result.judges.map((j) => j.degenerate)).toEqual([null, null]);
  });

  const three = [c('p', 1, 0, 1), c('q', 1, 0, 1), c('r', 1, 0, 1)];
  it.each([
    [
      // 0.1 + 0.2 + 0.3 ≠ 0.3 + 0.2 + 0.1 in floating point: still a tie
      'float noise does not break a tie; not broken',
      { j1: { A: [0.1, 0.2, 0.3], B: [0.3, 0.2, 0.1] } },
      three,
      false,
      [1, 1],
      'tied with "B" at 20.00; not broken (1 judge each)',
    ],
    [
      'a tie broken by more judges',
      { j1: { A: [1, 0, 0], B: [1, 0, 0] }, j2: { A: [1, 0, 0] } },
      three,
      false,
      [1, 2],
      'tied with "B" at 33.33; ahead of "B": 2 judges completed it against 1',
    ],
  ])('%s', (_name, table, criteria, normalized, ranks, explanation) => {
    const result = computeJudgingResults({ criteria, submissions: subs('A', 'B'), scores: scores(table, criteria), normalized });
    expect(result.submissions.map((s) => s.rank)).toEqual(ranks);
    expect(result.submissions[0].submissionId).toBe('A');
    expect(result.submissions[0].tie?.explanation).toBe(explanation);
    expect(result.submissions[0].tie?.broken).toBe(ranks[1] !== 1);
  });

  it('breaks a normalised tie by the raw mean', () => {
    // each judge scored both submissions, opposite ways with the same spread: both z means 0
    const table = { j1: { A: [10], B: [0] }, j2: { A: [4], B: [6] } };
    const result = computeJudgingResults({ criteria: one, submissions: subs('A', 'B'), scores: scores(table, one), normalized: true });
    expect(result.submissions.map((s) => [s.submissionId, s.rank])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect(result.submissions[0].tie?.explanation).toBe('tied with "B" at 0.00 (normalised); ahead of "B" on the raw mean: 70.00 against 30.00');
    expect(result.submissions[1].tie?.explanation).toBe('tied with "A" at 0.00 (normalised); behind "A" on the raw mean: 30.00 against 70.00');
  });

  it('leaves partial and unscored submissions unranked, after the ranked ones', () => {
    const criteria = [c('a', 1), c('b', 1)];
    const result = computeJudgingResults({
      criteria,
      submissions: subs('Z', 'P', 'D'),
      scores: [
        ...scores({ j1: { D: [5, 5] } }, criteria),
        { judgeId: 'j1', submissionId: 'P', criterionId: 'a', value: 10 }, // partial: no total
      ],
      normalized: true,
    });
    expect(result.submissions.map((s) => [s.submissionId, s.rank, s.finalScore])).toEqual([
      ['D', 1, 0],
      ['P', null, null],
      ['Z', null, null],
    ]);
    expect(result.judges).toEqual([expect.objectContaining({ judgeId: 'j1', scoredSubmissions: 1, degenerate: 'single_submission' })]);
  });

  it('shares a rank among three equal submissions and names the others', () => {
    const table = { j1: { A: [5], B: [5], C: [5], D: [9] } };
    const result = computeJudgingResults({ criteria: one, submissions: subs('A', 'B', 'C', 'D'), scores: scores(table, one), normalized: false });
    expect(result.submissions.map((s) => [s.submissionId, s.rank])).toEqual([
      ['D', 1],
      ['A', 2],
      ['B', 2],
      ['C', 2],
    ]);
    expect(result.submissions[2].tie).toEqual({
      tiedWith: ['A', 'C'],
      broken: false,
      explanation: 'tied with "A", "C" at 50.00; not broken with "A" (1 judge each); not broken with "C" (1 judge each)',
    });
  });
});
