// @vitest-environment node
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { nextStatus, registrationWindowAfterClear, toCreateVariables, toFormValues, toUpdateVariables, type HackathonFormSource } from './hackathon-form.js';
import { defaultRun } from './matching-tab.js';

const SOURCE: HackathonFormSource = {
  id: 'h1',
  name: 'RWKV Spring',
  slug: 'rwkv-spring',
  description: 'Build with RWKV',
  startsAt: '2026-03-01T00:00:00.000Z',
  endsAt: '2026-03-15T00:00:00.000Z',
  registrationOpensAt: '2026-02-01T00:00:00.000Z',
  registrationClosesAt: '2026-03-10T00:00:00.000Z',
  minTeamSize: 2,
  maxTeamSize: 4,
  trackedTopic: 'rwkv-hack',
  optInLabel: null,
};

describe('hackathon form', () => {
  it('creates with UTC instants and leaves blank optional fields to the api defaults', () => {
    const variables = toCreateVariables('rwkv', {
      name: '  RWKV Spring ',
      slug: 'rwkv-spring',
      description: '  ',
      window: [dayjs('2026-03-01T00:00:00Z'), dayjs('2026-03-15T00:00:00Z')],
      registrationWindow: null,
      minTeamSize: 2,
      maxTeamSize: null,
      trackedTopic: '',
      optInLabel: ' hackathon ',
    });
    expect(variables).toEqual({
      ecosystem: 'rwkv',
      name: 'RWKV Spring',
      slug: 'rwkv-spring',
      description: undefined,
      startsAt: '2026-03-01T00:00:00.000Z',
      endsAt: '2026-03-15T00:00:00.000Z',
      registrationOpensAt: undefined,
      registrationClosesAt: undefined,
      minTeamSize: 2,
      maxTeamSize: undefined,
      trackedTopic: undefined,
      optInLabel: 'hackathon',
    });
  });

  it('edits without touching what did not change: the window is not resent, nothing is cleared', () => {
    const variables = toUpdateVariables(SOURCE, toFormValues(SOURCE));
    expect(variables).not.toHaveProperty('startsAt');
    expect(variables.clearRegistrationWindow).toBeUndefined();
    expect(variables.clearTrackedTopic).toBeUndefined();
    expect(variables.clearOptInLabel).toBeUndefined();
    expect(variables.trackedTopic).toBe('rwkv-hack');
    expect(registrationWindowAfterClear(SOURCE, toFormValues(SOURCE))).toBeNull();
  });

  it('clears a topic and a registration window emptied in the form, and sends a moved window', () => {
    const values = { ...toFormValues(SOURCE), trackedTopic: '', registrationWindow: null, window: [dayjs('2026-03-02T00:00:00Z'), dayjs('2026-03-15T00:00:00Z')] as [dayjs.Dayjs, dayjs.Dayjs] };
    const variables = toUpdateVariables(SOURCE, values);
    expect(variables).toMatchObject({ clearTrackedTopic: true, clearRegistrationWindow: true, startsAt: '2026-03-02T00:00:00.000Z', endsAt: '2026-03-15T00:00:00.000Z' });
    expect(registrationWindowAfterClear(SOURCE, values)).toBeNull();
  });

  it('removing one end of the registration window clears both, then sets the remaining end again', () => {
    const values = { ...toFormValues(SOURCE), registrationWindow: [null, dayjs(SOURCE.registrationClosesAt)] as [null, dayjs.Dayjs] };
    expect(toUpdateVariables(SOURCE, values).clearRegistrationWindow).toBe(true);
    expect(registrationWindowAfterClear(SOURCE, values)).toEqual({ id: 'h1', registrationOpensAt: undefined, registrationClosesAt: '2026-03-10T00:00:00.000Z' });
  });

  it('moves statuses one step forward and stops at FINISHED', () => {
    expect(nextStatus('DRAFT')).toBe('REGISTRATION_OPEN');
    expect(nextStatus('JUDGING')).toBe('FINISHED');
    expect(nextStatus('FINISHED')).toBeNull();
  });

  it('shows the newest draft first, else the published run, else the newest run', () => {
    expect(defaultRun([{ id: 'a', status: 'RUNNING' }, { id: 'b', status: 'PUBLISHED' }, { id: 'c', status: 'DRAFT' }])).toBe('c');
    expect(defaultRun([{ id: 'a', status: 'FAILED' }, { id: 'b', status: 'PUBLISHED' }])).toBe('b');
    expect(defaultRun([{ id: 'a', status: 'QUEUED' }])).toBe('a');
    expect(defaultRun([])).toBeNull();
  });
});
