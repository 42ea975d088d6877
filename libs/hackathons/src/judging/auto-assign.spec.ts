import { planAutoAssignment } from './auto-assign.js';

const pairs = (text: string) =>
  text
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => {
      const [judgeId, submissionId] = p.split('-');
      return { judgeId, submissionId };
    });

describe('planAutoAssignment', () => {
  it.each([
    {
      name: 'balances 3 submissions × 2 judges over 3 judges (2 each)',
      judges: ['j1', 'j2', 'j3'],
      submissions: ['s1', 's2', 's3'],
      k: 2,
      existing: '',
      conflicts: '',
      loads: { j1: 2, j2: 2, j3: 2 },
      short: [],
    },
    {
      name: 'avoids conflicts',
      judges: ['j1', 'j2', 'j3'],
      submissions: ['s1', 's2'],
      k: 1,
      existing: '',
      conflicts: 'j1-s2 j2-s2',
      loads: { j1: 1, j2: 0, j3: 1 },
      short: [],
    },
    {
      name: 'keeps existing assignments and counts them in the load',
      judges: ['j1', 'j2'],
      submissions: ['s1', 's2'],
      k: 1,
      existing: 'j1-s1',
      conflicts: '',
      loads: { j1: 1, j2: 1 },
      short: [],
    },
    {
      name: 'reports a submission with too few eligible judges',
      judges: ['j1', 'j2'],
      submissions: ['s1'],
      k: 2,
      existing: '',
      conflicts: 'j2-s1',
      loads: { j1: 1, j2: 0 },
      short: [{ submissionId: 's1', judges: 1, eligible: 1 }],
    },
  ])('$name', ({ judges, submissions, k, existing, conflicts, loads, short }) => {
    const plan = planAutoAssignment({ judgeIds: judges, submissionIds: submissions, k, existing: pairs(existing), conflicts: pairs(conflicts) });
    expect(Object.fromEntries(plan.loads)).toEqual(loads);
    expect(plan.short).toEqual(short);
    const conflicting = new Set(conflicts.split(' '));
    for (const a of plan.assignments) expect(conflicting.has(`${a.judgeId}-${a.submissionId}`)).toBe(false);
    const all = [...pairs(existing), ...plan.assignments].map((a) => `${a.judgeId}-${a.submissionId}`);
    expect(new Set(all).size).toBe(all.length);
  });

  it('spreads 25 submissions × 3 judges over 10 judges within one of each other', () => {
    const judgeIds = Array.from({ length: 10 }, (_, i) => `j${String(i).padStart(2, '0')}`);
    const submissionIds = Array.from({ length: 25 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const plan = planAutoAssignment({ judgeIds, submissionIds, k: 3, existing: [], conflicts: [{ judgeId: 'j00', submissionId: 's00' }] });
    expect(plan.assignments).toHaveLength(75);
    expect(Math.max(...plan.loads.values()) - Math.min(...plan.loads.values())).toBeLessThanOrEqual(1);
    expect(plan.short).toEqual([]);
  });

  it('is deterministic whatever the input order', () => {
    const a = planAutoAssignment({ judgeIds: ['j2', 'j1', 'j3'], submissionIds: ['s2', 's1'], k: 2, existing: [], conflicts: [] });
    const b = planAutoAssignment({ judgeIds: ['j1', 'j3', 'j2'], submissionIds: ['s1', 's2'], k: 2, existing: [], conflicts: [] });
    expect(a.assignments).toEqual(b.assignments);
  });
});
