import { formatTeamExplanation } from './format-explanation.js';

const names = new Map([
  ['h100', 'H100 hours'],
  ['a100', 'A100 hours'],
  ['mentor', 'Mentor Bo'],
]);

describe('formatTeamExplanation', () => {
  it.each([
    ['first choice, nothing missed', { teamId: 't', received: [{ resourceId: 'h100', units: 8, rank: 1, pinned: false }], shortfalls: [] }, [], 'got 8 H100 hours (rank 1)'],
    [
      'second choice because the first was full',
      {
        teamId: 't',
        received: [{ resourceId: 'a100', units: 10, rank: 2, pinned: false }],
        shortfalls: [{ resourceId: 'h100', rank: 1, wanted: 8, got: 0, reason: 'resource_full' as const }],
      },
      [],
      'got 10 A100 hours (rank 2) because rank 1 (H100 hours) was full',
    ],
    [
      'two resources, one line each',
      {
        teamId: 't',
        received: [
          { resourceId: 'h100', units: 2, rank: 1, pinned: true },
          { resourceId: 'a100', units: 3, rank: 2, pinned: false },
        ],
        shortfalls: [],
      },
      [],
      'got 2 H100 hours (rank 1, pinned); got 3 A100 hours (rank 2)',
    ],
    [
      'a resource the team may not receive',
      { teamId: 't', received: [{ resourceId: 'a100', units: 4, rank: 2, pinned: false }], shortfalls: [] },
      [{ teamId: 't', resourceId: 'mentor', rank: 1, reason: 'team_too_small' as const }],
      'got 4 A100 hours (rank 2); not eligible: rank 1 (Mentor Bo) needs a larger team',
    ],
    [
      'nothing at all, only ineligible requests',
      { teamId: 't', received: [], shortfalls: [] },
      [{ teamId: 't', resourceId: 'mentor', rank: 1, reason: 'skills_missing' as const }],
      'not eligible: rank 1 (Mentor Bo) needs a member who registered one of its skills',
    ],
  ])('%s', (_name, explanation, ineligible, expected) => {
    expect(formatTeamExplanation(explanation, names, ineligible)).toBe(expected);
  });
});
