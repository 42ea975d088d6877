import { ageSeconds, share304, summarizeSyncHealth, type SyncStateHealthRow } from './sync-health.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const row = (overrides: Partial<SyncStateHealthRow>): SyncStateHealthRow => ({
  resource: 'commits',
  status: 'idle',
  lastStartedAt: null,
  lastSuccessAt: null,
  requests: 0,
  notModified: 0,
  items: 0,
  lastError: null,
  ...overrides,
});

describe('share304', () => {
  it.each<[number, number, number | null]>([
    [0, 0, null],
    [3, 0, null],
    [0, 4, 0],
    [3, 4, 0.75],
    [10, 10, 1],
  ])('%d not modified of %d requests → %p', (notModified, requests, expected) => {
    expect(share304(notModified, requests)).toBe(expected);
  });
});

describe('ageSeconds', () => {
  it.each<[string, Date | null, number | null]>([
    ['never succeeded', null, null],
    ['one hour ago', new Date('2026-03-01T11:00:00Z'), 3600],
    ['fractions of a second are dropped', new Date('2026-03-01T11:59:58.400Z'), 1],
    ['now', NOW, 0],
    ['later than now (clock skew) is 0, not negative', new Date('2026-03-01T12:00:05Z'), 0],
  ])('%s', (_name, since, expected) => {
    expect(ageSeconds(since, NOW)).toBe(expected);
  });
});

describe('summarizeSyncHealth', () => {
  it.each<[string, SyncStateHealthRow[], Partial<ReturnType<typeof summarizeSyncHealth>>]>([
    [
      'no rows: empty, no share, never succeeded',
      [],
      { resources: [], requests: 0, notModified: 0, share304: null, lastSuccessAt: null, cursorAgeSeconds: null, lastStartedAt: null, failingResources: 0, runningResources: 0 },
    ],
    [
      'lastStartedAt is the latest start of any resource (resources never started ignored)',
      [
        row({ resource: 'commits', lastStartedAt: new Date('2026-03-01T10:00:00Z') }),
        row({ resource: 'pulls', lastStartedAt: new Date('2026-03-01T11:30:00Z') }),
        row({ resource: 'reviews' }),
      ],
      { lastStartedAt: new Date('2026-03-01T11:30:00Z') },
    ],
    [
      'no resource ever started: no lastStartedAt',
      [row({ resource: 'commits' }), row({ resource: 'pulls' })],
      { lastStartedAt: null },
    ],
    [
      'totals sum the resources; lastSuccessAt is the oldest success',
      [
        row({ resource: 'pulls', lastSuccessAt: new Date('2026-03-01T11:00:00Z'), requests: 6, notModified: 3 }),
        row({ resource: 'commits', lastSuccessAt: new Date('2026-03-01T10:00:00Z'), requests: 4, notModified: 1 }),
      ],
      { requests: 10, notModified: 4, share304: 0.4, lastSuccessAt: new Date('2026-03-01T10:00:00Z'), cursorAgeSeconds: 7200 },
    ],
    [
      'one resource never succeeded: no repository-wide last success',
      [
        row({ resource: 'commits', lastSuccessAt: new Date('2026-03-01T10:00:00Z'), requests: 2 }),
        row({ resource: 'reviews', status: 'running', requests: 0 }),
      ],
      { requests: 2, share304: 0, lastSuccessAt: null, cursorAgeSeconds: null, runningResources: 1 },
    ],
    [
      'failing and running resources are counted',
      [
        row({ resource: 'commits', status: 'failed', lastError: 'boom', lastSuccessAt: NOW }),
        row({ resource: 'issues', status: 'failed', lastError: 'boom' }),
        row({ resource: 'pulls', status: 'running', lastSuccessAt: NOW }),
      ],
      { failingResources: 2, runningResources: 1 },
    ],
  ])('%s', (_name, rows, expected) => {
    expect(summarizeSyncHealth(rows, NOW)).toMatchObject(expected);
  });

  it('derives per-resource figures and orders resources by name', () => {
    const health = summarizeSyncHealth(
      [
        row({ resource: 'reviews', requests: 0 }),
        row({ resource: 'commits', lastSuccessAt: new Date('2026-03-01T11:59:00Z'), requests: 8, notModified: 2, items: 5 }),
      ],
      NOW,
    );
    expect(health.resources.map((r) => [r.resource, r.cursorAgeSeconds, r.share304, r.items])).toEqual([
      ['commits', 60, 0.25, 5],
      ['reviews', null, null, 0],
    ]);
  });
});
