import { solveMatching } from '../matching/matching-solver.js';
import { runMatchingPipeline, type MatchingInput } from './matching-pipeline.js';

const input: MatchingInput = {
  teams: [
    { id: 'a', size: 2, skills: [] },
    { id: 'b', size: 1, skills: [] },
    { id: 'idle', size: 3, skills: [] },
  ],
  resources: [
    { id: 'gpu', kind: 'gpu_hours', capacity: 3, perTeamMax: 2, tags: ['cuda'], eligibilityMinTeamSize: null, eligibilitySkills: [] },
    { id: 'mentor', kind: 'mentor_hours', capacity: 2, perTeamMax: 1, tags: [], eligibilityMinTeamSize: 2, eligibilitySkills: [] },
  ],
  requests: [
    { teamId: 'a', resourceId: 'gpu', kind: null, amount: 2, rank: 1, tags: ['cuda'] },
    { teamId: 'b', resourceId: 'mentor', kind: null, amount: 1, rank: 1, tags: [] },
    { teamId: 'b', resourceId: null, kind: 'gpu_hours', amount: 5, rank: 2, tags: [] },
  ],
  pins: [],
};

describe('runMatchingPipeline', () => {
  it('returns allocations in columns and one explanation per team of the problem, ineligible resources included', () => {
    const result = runMatchingPipeline(input, (problem) => solveMatching(problem));
    expect(result.sizes).toEqual({ teams: 2, resources: 2, candidates: 2, pins: 0, allocations: 2, unitsAllocated: 3 });
    expect(result.allocations).toEqual({ teamIds: ['a', 'b'], resourceIds: ['gpu', 'gpu'], units: [2, 1], pinned: [false, false] });
    expect(result.explanations.teamIds).toEqual(['a', 'b']);
    const b = JSON.parse(result.explanations.json[1]);
    expect(b.ineligible).toEqual([{ teamId: 'b', resourceId: 'mentor', rank: 1, reason: 'team_too_small' }]);
    expect(result.inputHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same result for the same rows in another order', () => {
    const shuffled: MatchingInput = { ...input, teams: [...input.teams].reverse(), requests: [...input.requests].reverse(), resources: [...input.resources].reverse() };
    const { solveMs: _a, ...one } = runMatchingPipeline(input, (problem) => solveMatching(problem));
    const { solveMs: _b, ...two } = runMatchingPipeline(shuffled, (problem) => solveMatching(problem));
    expect(two).toEqual(one);
  });
});
