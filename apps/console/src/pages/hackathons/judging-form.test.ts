// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { assignmentRows, invalidScale, toCriterionFormValues, toCriterionUpdate, type CriterionFormSource, type CriterionFormValues } from './judging-form.js';

const CRITERION: CriterionFormSource = { id: 'c1', name: 'Impact', description: 'Who benefits', weight: 2, scaleMin: 0, scaleMax: 10 };

describe('criterion form', () => {
  const edits: Array<[string, Partial<CriterionFormValues>, ReturnType<typeof toCriterionUpdate>]> = [
    ['nothing changed: nothing to send', {}, null],
    ['a trimmed new name', { name: ' Reach ' }, { id: 'c1', name: 'Reach' }],
    ['a new weight and scale', { weight: 1.5, scaleMin: 1, scaleMax: 5 }, { id: 'c1', weight: 1.5, scaleMin: 1, scaleMax: 5 }],
    ['an emptied description is sent as ""', { description: '  ' }, { id: 'c1', description: '' }],
    ['a null description is an emptied one', { description: null }, { id: 'c1', description: '' }],
    ['the same description with spaces around it is no change', { description: ' Who benefits ' }, null],
  ];
  it.each(edits)('edits: %s', (_name, change, expected) => {
    expect(toCriterionUpdate(CRITERION, { ...toCriterionFormValues(CRITERION), ...change })).toEqual(expected);
  });

  const scales: Array<[number | null, number | null, ReturnType<typeof invalidScale>]> = [
    [0, 10, null],
    [5, 5, { scaleMin: 5, scaleMax: 5 }],
    [10, 1, { scaleMin: 10, scaleMax: 1 }],
    [-3, -1, null],
    [null, 4, null],
    [1, null, null],
  ];
  it.each(scales)('a scale from %s to %s is refused as %j', (min, max, expected) => {
    expect(invalidScale(min, max)).toEqual(expected);
  });
});

describe('assignment rows', () => {
  const submissions = [
    { id: 's1', title: 'Fast RWKV', team: { name: 'Alpha' } },
    { id: 's2', title: 'RWKV on phones', team: { name: 'Bravo' } },
  ];
  it('orders by submission, then judge login, with the member id to act on', () => {
    const rows = assignmentRows(
      [
        { judgeId: 'j2', submissionId: 's2', member: { id: 'm2', login: 'ben' } },
        { judgeId: 'j3', submissionId: 's1', member: { id: 'm3', login: 'cho' } },
        { judgeId: 'j1', submissionId: 's1', member: { id: 'm1', login: 'ada' } },
      ],
      submissions,
    );
    expect(rows.map((row) => [row.submissionTitle, row.teamName, row.judgeLabel, row.memberId])).toEqual([
      ['Fast RWKV', 'Alpha', 'ada', 'm1'],
      ['Fast RWKV', 'Alpha', 'cho', 'm3'],
      ['RWKV on phones', 'Bravo', 'ben', 'm2'],
    ]);
  });

  it('names what the lists no longer hold by id, last', () => {
    const rows = assignmentRows(
      [
        { judgeId: 'j9', submissionId: 'gone', member: null },
        { judgeId: 'j1', submissionId: 's2', member: { id: 'm1', login: null } },
      ],
      submissions,
    );
    expect(rows).toEqual([
      { key: 'j1/s2', judgeId: 'j1', memberId: 'm1', judgeLabel: 'm1', submissionId: 's2', submissionTitle: 'RWKV on phones', teamName: 'Bravo' },
      { key: 'j9/gone', judgeId: 'j9', memberId: null, judgeLabel: 'j9', submissionId: 'gone', submissionTitle: 'gone', teamName: '—' },
    ]);
  });
});
