import { buildMatchingProblem, ineligibility, matchingInputHash, tagOverlap, type ResourceInput, type TeamInput } from './build-matching-problem.js';

const team = (id: string, size = 3, skills: string[] = []): TeamInput => ({ id, size, skills });
const resource = (id: string, fields: Partial<ResourceInput> = {}): ResourceInput => ({
  id,
  kind: 'gpu_hours',
  capacity: 10,
  perTeamMax: 5,
  tags: [],
  eligibilityMinTeamSize: null,
  eligibilitySkills: [],
  ...fields,
});

describe('tagOverlap', () => {
  it.each([
    [[], [], 0],
    [['cuda'], ['CUDA'], 1],
    [['cuda', 'fine-tuning'], ['fine-tuning', 'cuda', 'chinese nlp'], 2],
    [['cuda', 'cuda'], ['cuda'], 1],
    [['rust'], ['cuda'], 0],
  ])('%j ∩ %j has %i tags', (a, b, expected) => {
    expect(tagOverlap(a, b)).toBe(expected);
  });
});

describe('ineligibility', () => {
  it.each([
    ['anyone', team('t', 1), resource('r'), null],
    ['a team at the minimum size', team('t', 2), resource('r', { eligibilityMinTeamSize: 2 }), null],
    ['a team below the minimum size', team('t', 1), resource('r', { eligibilityMinTeamSize: 2 }), 'team_too_small'],
    ['a team with one required skill', team('t', 2, ['CUDA']), resource('r', { eligibilitySkills: ['cuda', 'triton'] }), null],
    ['a team with none of the skills', team('t', 2, ['rust']), resource('r', { eligibilitySkills: ['cuda'] }), 'skills_missing'],
  ])('%s', (_name, t, r, expected) => {
    expect(ineligibility(t, r)).toBe(expected);
  });
});

describe('buildMatchingProblem', () => {
  const resources = [resource('r2', { tags: ['cuda'] }), resource('r1', { tags: ['cuda', 'fine-tuning'] }), resource('m1', { kind: 'mentor_hours', tags: ['rwkv'] })];

  it('turns a named request into one candidate and a kind request into one per resource of that kind', () => {
    const { problem } = buildMatchingProblem({
      teams: [team('b'), team('a')],
      resources,
      requests: [
        { teamId: 'a', resourceId: 'm1', kind: null, amount: 2, rank: 2, tags: ['RWKV'] },
        { teamId: 'a', resourceId: null, kind: 'gpu_hours', amount: 8, rank: 1, tags: ['cuda', 'fine-tuning'] },
      ],
      pins: [],
    });
    expect(problem).toEqual({
      teams: [{ id: 'a' }],
      resources: [
        { id: 'm1', capacity: 10, perTeamMax: 5 },
        { id: 'r1', capacity: 10, perTeamMax: 5 },
        { id: 'r2', capacity: 10, perTeamMax: 5 },
      ],
      candidates: [
        { teamId: 'a', resourceId: 'm1', maxUnits: 2, rank: 2, tagOverlap: 1 },
        { teamId: 'a', resourceId: 'r1', maxUnits: 8, rank: 1, tagOverlap: 2 },
        { teamId: 'a', resourceId: 'r2', maxUnits: 8, rank: 1, tagOverlap: 1 },
      ],
      pins: [],
    });
  });

  it('keeps the best rank where two requests reach the same resource', () => {
    const { problem } = buildMatchingProblem({
      teams: [team('a')],
      resources,
      requests: [
        { teamId: 'a', resourceId: null, kind: 'gpu_hours', amount: 8, rank: 3, tags: [] },
        { teamId: 'a', resourceId: 'r2', kind: null, amount: 1, rank: 1, tags: [] },
      ],
      pins: [],
    });
    expect(problem.candidates).toEqual([
      { teamId: 'a', resourceId: 'r1', maxUnits: 8, rank: 3, tagOverlap: 0 },
      { teamId: 'a', resourceId: 'r2', maxUnits: 1, rank: 1, tagOverlap: 0 },
    ]);
  });

  it('leaves out resources the team is not eligible for, saying why', () => {
    const built = buildMatchingProblem({
      teams: [team('a', 1)],
      resources: [resource('r1', { eligibilityMinTeamSize: 2 }), resource('r2')],
      requests: [{ teamId: 'a', resourceId: null, kind: 'gpu_hours', amount: 1, rank: 1, tags: [] }],
      pins: [],
    });
    expect(built.problem.candidates.map((c) => c.resourceId)).toEqual(['r2']);
    expect(built.ineligible).toEqual([{ teamId: 'a', resourceId: 'r1', rank: 1, reason: 'team_too_small' }]);
  });

  it('brings a pinned team into the problem and drops pins of unknown teams or resources', () => {
    const { problem } = buildMatchingProblem({
      teams: [team('a'), team('b')],
      resources,
      requests: [],
      pins: [
        { teamId: 'b', resourceId: 'r1', units: 3 },
        { teamId: 'gone', resourceId: 'r1', units: 3 },
        { teamId: 'b', resourceId: 'gone', units: 1 },
      ],
    });
    expect(problem.teams).toEqual([{ id: 'b' }]);
    expect(problem.pins).toEqual([{ teamId: 'b', resourceId: 'r1', units: 3 }]);
    expect(problem.candidates).toEqual([{ teamId: 'b', resourceId: 'r1', maxUnits: 3, rank: 1, tagOverlap: 0 }]);
  });

  it('ranks a pin the team did not request after its requests, and raises an amount below a pin', () => {
    const { problem } = buildMatchingProblem({
      teams: [team('a')],
      resources,
      requests: [
        { teamId: 'a', resourceId: 'r1', kind: null, amount: 2, rank: 1, tags: [] },
        { teamId: 'a', resourceId: 'r2', kind: null, amount: 2, rank: 4, tags: [] },
      ],
      pins: [
        { teamId: 'a', resourceId: 'r1', units: 5 },
        { teamId: 'a', resourceId: 'm1', units: 0 },
      ],
    });
    expect(problem.candidates).toEqual([
      { teamId: 'a', resourceId: 'm1', maxUnits: 1, rank: 5, tagOverlap: 0 },
      { teamId: 'a', resourceId: 'r1', maxUnits: 5, rank: 1, tagOverlap: 0 },
      { teamId: 'a', resourceId: 'r2', maxUnits: 2, rank: 4, tagOverlap: 0 },
    ]);
  });

  it('gives the same problem and hash whatever order the rows came in', () => {
    const requests = [
      { teamId: 'a', resourceId: null, kind: 'gpu_hours' as const, amount: 8, rank: 1, tags: ['cuda'] },
      { teamId: 'b', resourceId: 'r1', kind: null, amount: 2, rank: 1, tags: [] },
    ];
    const one = buildMatchingProblem({ teams: [team('a'), team('b')], resources, requests, pins: [] });
    const two = buildMatchingProblem({ teams: [team('b'), team('a')], resources: [...resources].reverse(), requests: [...requests].reverse(), pins: [] });
    expect(two.problem).toEqual(one.problem);
    expect(matchingInputHash(two.problem)).toBe(matchingInputHash(one.problem));
    expect(matchingInputHash(one.problem)).toMatch(/^[0-9a-f]{64}$/);
  });
});
