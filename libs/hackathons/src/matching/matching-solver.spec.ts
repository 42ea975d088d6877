import { MatchingException, MatchingExceptionCode } from './matching.exception.js';
import { generateMatchingProblem } from './matching-instances.js';
import type { MatchingCandidate, MatchingPin, MatchingProblem, MatchingResource } from './matching-problem.js';
import { solveMatching } from './matching-solver.js';

const team = (...ids: string[]) => ids.map((id) => ({ id }));
const res = (id: string, capacity: number, perTeamMax = capacity): MatchingResource => ({ id, capacity, perTeamMax });
const cand = (teamId: string, resourceId: string, maxUnits: number, rank = 1, tagOverlap = 0): MatchingCandidate => ({
  teamId,
  resourceId,
  maxUnits,
  rank,
  tagOverlap,
});
const units = (problem: MatchingProblem) =>
  Object.fromEntries(solveMatching(problem).allocations.map((a) => [`${a.teamId}/${a.resourceId}`, a.units]));

describe('solveMatching', () => {
  it.each<[string, MatchingProblem, Record<string, number>, number]>([
    // [name, problem, units per team/resource, objective]; default weights: rank r is worth 100 − 10(r − 1), +5 a tag
    ['one team capped by the per-team maximum', { teams: team('a'), resources: [res('r', 5, 3)], candidates: [cand('a', 'r', 4)] }, { 'a/r': 3 }, 101 + 300],
    ['one team capped by its own amount', { teams: team('a'), resources: [res('r', 9)], candidates: [cand('a', 'r', 2)] }, { 'a/r': 2 }, 101 + 200],
    [
      'fairness: two teams share a scarce resource before either gets a second unit',
      { teams: team('a', 'b'), resources: [res('r', 2)], candidates: [cand('a', 'r', 2, 1, 3), cand('b', 'r', 2)] },
      { 'a/r': 1, 'b/r': 1 },
      2 * 116 + 115 + 100,
    ],
    [
      'a team takes its second choice so that another team gets something',
      { teams: team('a', 'b'), resources: [res('r1', 1), res('r2', 1)], candidates: [cand('a', 'r1', 1, 1), cand('a', 'r2', 1, 2), cand('b', 'r1', 1, 1)] },
      { 'a/r2': 1, 'b/r1': 1 },
      2 * 201 + 90 + 100,
    ],
    [
      'utility decides among teams once each has its first unit',
      { teams: team('a', 'b'), resources: [res('r', 3)], candidates: [cand('a', 'r', 3, 1, 2), cand('b', 'r', 3, 2)] },
      { 'a/r': 2, 'b/r': 1 },
      2 * 111 + 2 * 110 + 90,
    ],
    [
      'every candidate in full when capacity allows',
      { teams: team('a'), resources: [res('r1', 5), res('r2', 5)], candidates: [cand('a', 'r1', 2, 1), cand('a', 'r2', 3, 2)] },
      { 'a/r1': 2, 'a/r2': 3 },
      101 + 200 + 270,
    ],
    ['zero capacity gives nothing', { teams: team('a'), resources: [res('r', 0)], candidates: [cand('a', 'r', 2)] }, {}, 0],
    ['zero per-team maximum gives nothing', { teams: team('a'), resources: [res('r', 4, 0)], candidates: [cand('a', 'r', 2)] }, {}, 0],
    ['a team without candidates gets nothing', { teams: team('a', 'b'), resources: [res('r', 1)], candidates: [cand('b', 'r', 1)] }, { 'b/r': 1 }, 101 + 100],
    ['no teams', { teams: [], resources: [res('r', 1)], candidates: [] }, {}, 0],
  ])('%s', (_name, problem, expected, objective) => {
    const solution = solveMatching(problem);
    expect(units(problem)).toEqual(expected);
    expect(solution.objective).toBe(objective);
    expect(solveMatching(problem, { algorithm: 'successive-shortest-paths' }).objective).toBe(objective);
  });

  describe('pins', () => {
    const base: MatchingProblem = {
      teams: team('a', 'b'),
      resources: [res('r1', 1), res('r2', 1)],
      candidates: [cand('a', 'r1', 1, 1), cand('a', 'r2', 1, 2), cand('b', 'r1', 1, 1)],
    };
    it.each<[string, MatchingPin[], Record<string, number>]>([
      ['a pin overrides the optimum and the rest is re-solved around it', [{ teamId: 'a', resourceId: 'r1', units: 1 }], { 'a/r1': 1, 'a/r2': 1 }],
      ['a zero pin keeps a team off a resource', [{ teamId: 'b', resourceId: 'r1', units: 0 }], { 'a/r1': 1, 'a/r2': 1 }],
      ['a pin that agrees with the optimum changes nothing', [{ teamId: 'b', resourceId: 'r1', units: 1 }], { 'a/r2': 1, 'b/r1': 1 }],
      ['a zero pin on a pair that is not a candidate is accepted', [{ teamId: 'b', resourceId: 'r2', units: 0 }], { 'a/r2': 1, 'b/r1': 1 }],
    ])('%s', (_name, pins, expected) => {
      expect(units({ ...base, pins })).toEqual(expected);
    });

    it('flags pinned allocations and counts their utility and first-unit bonus in the objective', () => {
      const solution = solveMatching({ ...base, pins: [{ teamId: 'a', resourceId: 'r1', units: 1 }] });
      expect(solution.allocations).toEqual([
        { teamId: 'a', resourceId: 'r1', units: 1, pinned: true },
        { teamId: 'a', resourceId: 'r2', units: 1, pinned: false },
      ]);
      expect(solution.objective).toBe(201 + 100 + 90);
    });

    it('counts pinned units toward the first-unit tier (no second bonus for the pinned team)', () => {
      // b is pinned one unit of r2; r1 has one unit: a must get it (first unit) rather than b (utility 115 > 100)
      const problem: MatchingProblem = {
        teams: team('a', 'b'),
        resources: [res('r1', 1), res('r2', 1)],
        candidates: [cand('a', 'r1', 1), cand('b', 'r1', 1, 1, 3), cand('b', 'r2', 1, 2)],
        pins: [{ teamId: 'b', resourceId: 'r2', units: 1 }],
      };
      expect(units(problem)).toEqual({ 'a/r1': 1, 'b/r2': 1 });
    });

    it.each<[string, MatchingPin[], RegExp]>([
      ['over capacity', [{ teamId: 'a', resourceId: 'r1', units: 1 }, { teamId: 'b', resourceId: 'r1', units: 1 }], /pin \(team a, resource r1, 1 units\), pin \(team b, resource r1, 1 units\) exceed the capacity of resource r1 \(1 units\)/],
      ['over the per-team maximum', [{ teamId: 'c', resourceId: 'r3', units: 3 }], /pin \(team c, resource r3, 3 units\) exceeds the resource's per-team maximum \(2\)/],
      ['over what the team asked for', [{ teamId: 'a', resourceId: 'r2', units: 2 }], /pin \(team a, resource r2, 2 units\) gives more than the team asked for \(1\)/],
      ['not a candidate', [{ teamId: 'b', resourceId: 'r2', units: 1 }], /pin \(team b, resource r2, 1 units\) is not one of the team's candidates/],
      ['an unknown team', [{ teamId: 'z', resourceId: 'r1', units: 1 }], /pin \(team z, resource r1, 1 units\) names an unknown team/],
      ['an unknown resource', [{ teamId: 'a', resourceId: 'zz', units: 1 }], /names an unknown resource/],
      ['a pair pinned twice', [{ teamId: 'a', resourceId: 'r2', units: 0 }, { teamId: 'a', resourceId: 'r2', units: 1 }], /already pinned/],
      ['fractional units', [{ teamId: 'a', resourceId: 'r2', units: 0.5 }], /whole number of units/],
    ])('refuses a pin %s, naming it', (_name, pins, message) => {
      const problem: MatchingProblem = {
        ...base,
        teams: team('a', 'b', 'c'),
        resources: [...base.resources, res('r3', 5, 2)],
        candidates: [...base.candidates, cand('c', 'r3', 4)],
        pins,
      };
      expect(() => solveMatching(problem)).toThrow(message);
      expect(() => solveMatching(problem)).toThrow(expect.objectContaining({ code: MatchingExceptionCode.INVALID_PIN }));
    });
  });

  it.each<[string, Partial<MatchingProblem>, RegExp]>([
    ['a duplicate team id', { teams: team('a', 'a') }, /team a appears twice/],
    ['a duplicate resource id', { resources: [res('r', 1), res('r', 2)] }, /resource r appears twice/],
    ['a candidate of an unknown team', { candidates: [cand('x', 'r', 1)] }, /unknown team x/],
    ['a candidate of an unknown resource', { candidates: [cand('a', 'x', 1)] }, /unknown resource x/],
    ['two candidates for one pair', { candidates: [cand('a', 'r', 1), cand('a', 'r', 2, 2)] }, /team a has two candidates for resource r/],
    ['a negative capacity', { resources: [res('r', -1)] }, /resource r capacity must be an integer ≥ 0/],
    ['a fractional amount', { candidates: [cand('a', 'r', 1.5)] }, /maxUnits must be an integer ≥ 1/],
    ['rank 0', { candidates: [cand('a', 'r', 1, 0)] }, /rank must be an integer ≥ 1/],
  ])('refuses %s', (_name, over, message) => {
    const problem: MatchingProblem = { teams: team('a'), resources: [res('r', 1)], candidates: [cand('a', 'r', 1)], ...over };
    expect(() => solveMatching(problem)).toThrow(message);
    expect(() => solveMatching(problem)).toThrow(MatchingException);
  });

  it.each<[string, MatchingProblem['weights'], RegExp]>([
    ['a first-unit bonus that does not dominate', { firstUnitBonus: 100 }, /firstUnitBonus 100 does not dominate this instance: it must be at least 116/],
    ['a negative weight', { perTag: -1 }, /weight perTag must be a non-negative integer/],
    ['weights that could pass 2^53', { rankBase: 2 ** 52, rankFloor: 2 ** 52 }, /too large for exact integer costs/],
  ])('refuses %s', (_name, weights, message) => {
    const problem: MatchingProblem = { teams: team('a', 'b'), resources: [res('r', 2)], candidates: [cand('a', 'r', 2, 1, 3), cand('b', 'r', 2)], weights };
    expect(() => solveMatching(problem)).toThrow(message);
    expect(() => solveMatching(problem)).toThrow(expect.objectContaining({ code: MatchingExceptionCode.INVALID_WEIGHTS }));
  });

  it('uses given weights and a larger given bonus', () => {
    const problem: MatchingProblem = {
      teams: team('a'),
      resources: [res('r1', 1), res('r2', 1)],
      candidates: [cand('a', 'r1', 1, 1), cand('a', 'r2', 1, 3, 2)],
      weights: { rankBase: 10, rankStep: 5, rankFloor: 1, perTag: 3, firstUnitBonus: 1000 },
    };
    expect(solveMatching(problem).objective).toBe(1000 + 10 + (1 + 6));
  });

  it('gives the same allocations for the same input', () => {
    const problem = generateMatchingProblem({ seed: 7, teams: 300, resources: 30, candidatesPerTeam: 6, tightness: 'tight', maxUnits: 5 });
    const first = solveMatching(problem);
    expect(solveMatching(structuredClone(problem))).toEqual(first);
    expect(first.stats.nodes).toBe(2 + 300 + 30);
  });
});
