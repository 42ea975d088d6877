import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { memberFilter } from './members-page.js';

describe('memberFilter', () => {
  it('leaves blank fields out and keeps persons only by default', () => {
    expect(memberFilter({})).toEqual({});
    expect(memberFilter({ repository: '  ', period: null, bots: false })).toEqual({});
  });

  it('trims the repository, passes the activity type, and asks for bots too when ticked', () => {
    expect(memberFilter({ repository: ' BlinkDL/RWKV-LM ', type: 'REVIEW', bots: true })).toEqual({ repository: 'BlinkDL/RWKV-LM', type: 'REVIEW', kinds: ['PERSON', 'BOT'] });
  });

  it('reads the period as whole UTC days: from the first day’s start to the end of the last one (exclusive)', () => {
    const since = dayjs('2026-03-01T23:30:00');
    const until = dayjs('2026-03-31T00:15:00');
    expect(memberFilter({ period: [since, until] })).toEqual({ since: '2026-03-01T00:00:00.000Z', until: '2026-04-01T00:00:00.000Z' });
    expect(memberFilter({ period: [null, until] })).toEqual({ until: '2026-04-01T00:00:00.000Z' });
  });
});

describe('memberFilter: stage, organisation, non-paying', () => {
  it('passes a stage with the ecosystem it is read in, an ecosystem alone, and leaves a stage without one out', () => {
    expect(memberFilter({ stage: 'MAINTAINER', ecosystem: 'rwkv' })).toEqual({ stage: 'MAINTAINER', ecosystem: 'rwkv' });
    expect(memberFilter({ stage: 'MAINTAINER' })).toEqual({});
    expect(memberFilter({ ecosystem: 'rwkv' })).toEqual({ ecosystem: 'rwkv' });
  });

  it('passes the organisation id and asks for non-paying members only when ticked', () => {
    expect(memberFilter({ organization: 'a5d1a3c2-0000-4000-8000-000000000001', nonPayingOnly: true })).toEqual({
      organization: 'a5d1a3c2-0000-4000-8000-000000000001',
      nonPayingOnly: true,
    });
    expect(memberFilter({ nonPayingOnly: false })).toEqual({});
  });
});
