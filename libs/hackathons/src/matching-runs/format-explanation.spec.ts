import { formatTeamExplanation } from './format-explanation.js';

const names = new Map([
  ['h100', 'H100 hours'],
  ['a100', 'A100 hours'],
  ['mentor', 'Mentor Bo'],
]);

describe('formatTeamExplanation', () => {
  it.each([
    ['first choice, nothing missed', { teamId: 't', received: [{ resourceId: 'h100', units: 8, rank: 1, pinned: false }], shortfalls: [] }, [], 'got H100 hours (8 units, rank 1)'],
    [
      'second choice because the first was full',
      {
        teamId: 't',
        received: [{ resourceId: 'a100', units: 10, rank: 2, pinned: false }],
        shortfalls: [{ resourceId: 'h100', rank: 1, wanted: 8, got: 0, reason: 'resource_full' as const }],
      },
      [],
      'got A100 hours (10 units, rank 2), because rank 1 (H100 hours) was full',
    ],
    [
      'partly served by a per-team maximum',
      {
        teamId: 't',
        received: [{ resourceId: 'h100', units: 1, rank: 1, pinned: true }],
        shortfalls: [{ resourceId: 'h100', rank: 1, wanted: 4, got: 1, reason: 'per_team_max' as const }],
      },
      [],
      'got H100 hours (1 unit, rank 1, pinned), because rank 1 (H100 hours, 1 of 4) reached its per-team maximum',
    ],
    [
      'nothing, one resource out of reach',
      { teamId: 't', received: [], shortfalls: [{ resourceId: 'a100', rank: 2, wanted: 3, got: 0, reason: 'better_use' as const }] },
      [{ teamId: 't', resourceId: 'mentor', rank: 1, reason: 'team_too_small' as const }],
      'got nothing, because rank 1 (Mentor Bo) needs a larger team; rank 2 (A100 hours) went to other teams (every team gets a first unit before any team gets more)',
    ],
  ])('%s', (_name, explanation, ineligible, expected) => {
    expect(formatTeamExplanation(explanation, names, ineligible)).toBe(expected);
  });
});
