import { explainAllocation } from './matching-explanations.js';
import type { MatchingProblem, MatchingTeamExplanation } from './matching-problem.js';
import { solveMatching } from './matching-solver.js';

const explain = (problem: MatchingProblem, teamId: string) => solveMatching(problem).explanations.find((e) => e.teamId === teamId)!;

describe('solveMatching explanations', () => {
  // a ranks H100 first and A100 second; b only H100; one H100 unit: fairness gives it to b
  const problem: MatchingProblem = {
    teams: [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
    resources: [
      { id: 'h100', capacity: 1, perTeamMax: 1 },
      { id: 'a100', capacity: 100, perTeamMax: 40 },
      { id: 'mentor', capacity: 10, perTeamMax: 2 },
    ],
    candidates: [
      { teamId: 'a', resourceId: 'h100', maxUnits: 10, rank: 1, tagOverlap: 0 },
      { teamId: 'a', resourceId: 'a100', maxUnits: 60, rank: 2, tagOverlap: 1 },
      { teamId: 'a', resourceId: 'mentor', maxUnits: 5, rank: 3, tagOverlap: 0 },
      { teamId: 'b', resourceId: 'h100', maxUnits: 1, rank: 1, tagOverlap: 0 },
    ],
  };

  it.each<[string, MatchingProblem, string, MatchingTeamExplanation]>([
    [
      'a full first choice and a per-team maximum',
      problem,
      'a',
      {
        teamId: 'a',
        received: [
          { resourceId: 'a100', units: 40, rank: 2, pinned: false },
          { resourceId: 'mentor', units: 2, rank: 3, pinned: false },
        ],
        shortfalls: [
          { resourceId: 'h100', rank: 1, wanted: 10, got: 0, reason: 'resource_full' },
          { resourceId: 'a100', rank: 2, wanted: 60, got: 40, reason: 'per_team_max' },
          { resourceId: 'mentor', rank: 3, wanted: 5, got: 2, reason: 'per_team_max' },
        ],
      },
    ],
    ['a team that got all it asked for', problem, 'b', { teamId: 'b', received: [{ resourceId: 'h100', units: 1, rank: 1, pinned: false }], shortfalls: [] }],
    ['a team without candidates', problem, 'c', { teamId: 'c', received: [], shortfalls: [] }],
    [
      'a zero pin',
      { ...problem, pins: [{ teamId: 'b', resourceId: 'h100', units: 0 }] },
      'b',
      { teamId: 'b', received: [], shortfalls: [{ resourceId: 'h100', rank: 1, wanted: 1, got: 0, reason: 'pinned' }] },
    ],
    [
      'units left that are worth nothing to the team (zero weights)',
      { ...problem, weights: { rankBase: 0, rankFloor: 0, perTag: 0 }, teams: [{ id: 'a' }] , candidates: problem.candidates.slice(0, 2) },
      'a',
      {
        teamId: 'a',
        received: [{ resourceId: 'h100', units: 1, rank: 1, pinned: false }],
        shortfalls: [{ resourceId: 'h100', rank: 1, wanted: 10, got: 1, reason: 'per_team_max' }],
      },
    ],
  ])('%s', (_name, p, teamId, expected) => {
    expect(explain(p, teamId)).toEqual(expected);
  });

  it('says better_use when units were left but the optimum did not give them', () => {
    const p: MatchingProblem = {
      teams: [{ id: 'a' }],
      resources: [{ id: 'x', capacity: 5, perTeamMax: 5 }, { id: 'y', capacity: 5, perTeamMax: 5 }],
      candidates: [
        { teamId: 'a', resourceId: 'x', maxUnits: 3, rank: 1, tagOverlap: 0 },
        { teamId: 'a', resourceId: 'y', maxUnits: 3, rank: 2, tagOverlap: 1 },
      ],
      // rank 1 is worth nothing beyond the first unit; a tag is worth 1
      weights: { rankBase: 0, rankStep: 0, rankFloor: 0, perTag: 1 },
    };
    expect(explain(p, 'a')).toEqual({
      teamId: 'a',
      received: [{ resourceId: 'y', units: 3, rank: 2, pinned: false }],
      shortfalls: [{ resourceId: 'x', rank: 1, wanted: 3, got: 0, reason: 'better_use' }],
    });
  });
});

describe('explainAllocation', () => {
  const names = new Map([
    ['h100', 'H100 hours'],
    ['a100', 'A100 hours'],
    ['mentor', 'mentor hours'],
  ]);
  it.each<[string, MatchingTeamExplanation, string[]]>([
    [
      'second choice because the first was full',
      { teamId: 't', received: [{ resourceId: 'a100', units: 40, rank: 2, pinned: false }], shortfalls: [{ resourceId: 'h100', rank: 1, wanted: 10, got: 0, reason: 'resource_full' }] },
      ['got 40 A100 hours (rank 2) because rank 1 (H100 hours) was full'],
    ],
    [
      'a partial allocation and a pin',
      {
        teamId: 't',
        received: [
          { resourceId: 'a100', units: 40, rank: 2, pinned: true },
          { resourceId: 'mentor', units: 2, rank: 3, pinned: false },
        ],
        shortfalls: [
          { resourceId: 'h100', rank: 1, wanted: 10, got: 0, reason: 'per_team_max' },
          { resourceId: 'a100', rank: 2, wanted: 60, got: 40, reason: 'pinned' },
          { resourceId: 'mentor', rank: 3, wanted: 5, got: 2, reason: 'resource_full' },
        ],
      },
      [
        'got 40 of 60 A100 hours (rank 2, pinned) because an organiser pinned it and rank 1 (H100 hours) was at its per-team maximum',
        'got 2 of 5 mentor hours (rank 3) because no more was left',
      ],
    ],
    [
      'nothing, for several reasons',
      {
        teamId: 't',
        received: [],
        shortfalls: [
          { resourceId: 'h100', rank: 1, wanted: 1, got: 0, reason: 'resource_full' },
          { resourceId: 'gpu-x', rank: 2, wanted: 1, got: 0, reason: 'pinned' },
          { resourceId: 'mentor', rank: 3, wanted: 1, got: 0, reason: 'better_use' },
        ],
      },
      ['got nothing because rank 1 (H100 hours) was full, rank 2 (gpu-x) was pinned by an organiser and rank 3 (mentor hours) had units left that the optimum gave elsewhere'],
    ],
    ['everything asked for', { teamId: 't', received: [{ resourceId: 'h100', units: 1, rank: 1, pinned: false }], shortfalls: [] }, ['got 1 H100 hours (rank 1)']],
    ['no candidates', { teamId: 't', received: [], shortfalls: [] }, ['asked for nothing']],
  ])('%s', (_name, explanation, lines) => {
    expect(explainAllocation(explanation, names)).toEqual(lines);
    expect(explainAllocation(explanation, Object.fromEntries(names))).toEqual(lines);
  });
});
