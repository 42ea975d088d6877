// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  toRequestFormValues,
  toRequestUpdate,
  toResourceFormValues,
  toResourceInput,
  toResourceUpdate,
  unitsLeft,
  type RequestFormSource,
  type RequestFormValues,
  type ResourceFormSource,
  type ResourceFormValues,
} from './resource-form.js';

const RESOURCE: ResourceFormSource = {
  id: 'r1',
  name: 'A100 hours',
  kind: 'GPU_HOURS',
  sponsor: 'RWKV Foundation',
  capacity: 6,
  perTeamMax: 4,
  eligibilityMinTeamSize: 2,
  eligibilitySkills: ['cuda'],
};

const REQUEST: RequestFormSource = { id: 'q1', rank: 1, amount: 4, tags: ['llm'] };

describe('resource form', () => {
  it('creates with blank optional fields left out and a mentor only for mentor hours', () => {
    expect(toResourceInput({ name: ' Pile ', kind: 'DATASET', sponsor: '  ', capacity: 2, perTeamMax: 1, eligibilityMinTeamSize: null, eligibilitySkills: [], mentorMemberId: 'm1' })).toEqual({
      name: 'Pile',
      kind: 'DATASET',
      capacity: 2,
      perTeamMax: 1,
      sponsor: undefined,
      eligibilityMinTeamSize: undefined,
      eligibilitySkills: undefined,
      mentorMemberId: undefined,
    });
    expect(toResourceInput({ name: 'Office hours', kind: 'MENTOR_HOURS', capacity: 3, perTeamMax: 1, mentorMemberId: ' m1 ' }).mentorMemberId).toBe('m1');
  });

  const edits: Array<[string, Partial<ResourceFormValues>, ReturnType<typeof toResourceUpdate>]> = [
    ['nothing changed: nothing to send', {}, null],
    ['a new capacity alone', { capacity: 10 }, { capacity: 10 }],
    ['a trimmed new name and per-team maximum', { name: ' H100 hours ', perTeamMax: 2 }, { name: 'H100 hours', perTeamMax: 2 }],
    ['the same name with spaces around it is no change', { name: ' A100 hours ' }, null],
    ['an emptied sponsor is cleared with null', { sponsor: '  ' }, { sponsor: null }],
    ['an emptied minimum team size is cleared with null', { eligibilityMinTeamSize: null }, { eligibilityMinTeamSize: null }],
    ['emptied skills replace the list with none', { eligibilitySkills: [] }, { eligibilitySkills: [] }],
    ['a capacity of 0 is a change, not a blank', { capacity: 0 }, { capacity: 0 }],
  ];
  it.each(edits)('edits: %s', (_name, change, expected) => {
    expect(toResourceUpdate(RESOURCE, { ...toResourceFormValues(RESOURCE), ...change })).toEqual(expected);
  });

  it('starts the edit form from the resource, blanks for what it has none of', () => {
    expect(toResourceFormValues({ ...RESOURCE, sponsor: null, eligibilityMinTeamSize: null, eligibilitySkills: [] })).toEqual({
      name: 'A100 hours',
      kind: 'GPU_HOURS',
      sponsor: '',
      capacity: 6,
      perTeamMax: 4,
      eligibilityMinTeamSize: null,
      eligibilitySkills: [],
    });
  });
});

describe('units left', () => {
  const resources = [
    { id: 'r1', capacity: 6 },
    { id: 'r2', capacity: 2 },
  ];
  const cases: Array<[string, Array<{ resourceId: string; units: number }> | null, Record<string, { allocated: number; left: number }>]> = [
    ['no published run: everything is left', null, { r1: { allocated: 0, left: 6 }, r2: { allocated: 0, left: 2 } }],
    ['allocations add up per resource', [{ resourceId: 'r1', units: 4 }, { resourceId: 'r1', units: 2 }, { resourceId: 'r2', units: 1 }], { r1: { allocated: 6, left: 0 }, r2: { allocated: 1, left: 1 } }],
    ['a capacity lowered below the published units goes negative', [{ resourceId: 'r2', units: 3 }], { r1: { allocated: 0, left: 6 }, r2: { allocated: 3, left: -1 } }],
    ['allocations of a resource no longer listed are ignored', [{ resourceId: 'gone', units: 5 }], { r1: { allocated: 0, left: 6 }, r2: { allocated: 0, left: 2 } }],
  ];
  it.each(cases)('%s', (_name, allocations, expected) => {
    expect(Object.fromEntries(unitsLeft(resources, allocations))).toEqual(expected);
  });
});

describe('request form', () => {
  const edits: Array<[string, Partial<RequestFormValues>, ReturnType<typeof toRequestUpdate>]> = [
    ['nothing changed: nothing to send', {}, null],
    ['a new rank and amount', { rank: 2, amount: 3 }, { rank: 2, amount: 3 }],
    ['tags are lower-cased and blank ones dropped', { tags: ['LLM', ' Vision ', ' '] }, { tags: ['llm', 'vision'] }],
    ['the same tags in another case are no change', { tags: ['LLM'] }, null],
    ['emptied tags replace the list with none', { tags: [] }, { tags: [] }],
  ];
  it.each(edits)('edits: %s', (_name, change, expected) => {
    expect(toRequestUpdate(REQUEST, { ...toRequestFormValues(REQUEST), ...change })).toEqual(expected);
  });
});
