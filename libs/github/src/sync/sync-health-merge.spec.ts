import { parseRepositoryHash, type VolatileResourceHealth } from './sync-health-cache.js';
import { mergeRepositorySyncHealth, mergeSyncHealth, type SyncStateHealthRow } from './sync-health.js';
import { repositoryProgress } from './sync-progress.service.js';
import { canonicalJson, sameJson } from './sync-state.store.js';

const at = (iso: string) => new Date(iso);
const stored = (overrides: Partial<SyncStateHealthRow> = {}): SyncStateHealthRow => ({
  resource: 'commits',
  status: 'idle',
  lastStartedAt: at('2026-03-01T10:00:00Z'),
  lastSuccessAt: at('2026-03-01T10:01:00Z'),
  requests: 10,
  notModified: 4,
  items: 500,
  lastError: null,
  ...overrides,
});
const volatile = (overrides: Partial<VolatileResourceHealth> = {}): VolatileResourceHealth => ({
  status: 'idle',
  lastStartedAt: at('2026-03-01T11:00:00Z'),
  lastSuccessAt: at('2026-03-01T11:00:01Z'),
  requests: 2,
  notModified: 2,
  items: 0,
  ...overrides,
});

describe('mergeSyncHealth', () => {
  it.each<[string, SyncStateHealthRow | null, VolatileResourceHealth | null, Partial<SyncStateHealthRow>]>([
    ['only Postgres (Redis lost or never written): the row as it is', stored(), null, stored()],
    [
      'an unchanged re-sync after the row: later instants, summed counters',
      stored(),
      volatile(),
      { status: 'idle', lastStartedAt: at('2026-03-01T11:00:00Z'), lastSuccessAt: at('2026-03-01T11:00:01Z'), requests: 12, notModified: 6, items: 500 },
    ],
    [
      'running now (Redis) although the row says idle',
      stored(),
      volatile({ status: 'running', lastSuccessAt: null, requests: 0, notModified: 0 }),
      { status: 'running', lastStartedAt: at('2026-03-01T11:00:00Z'), lastSuccessAt: at('2026-03-01T10:01:00Z'), requests: 10 },
    ],
    [
      'a failure keeps the row error; Redis says failed too',
      stored({ status: 'failed', lastError: 'boom' }),
      volatile({ status: 'failed', lastSuccessAt: null, requests: 0, notModified: 0 }),
      { status: 'failed', lastError: 'boom' },
    ],
    [
      'a first run not written to Postgres yet',
      null,
      volatile({ status: 'running', lastSuccessAt: null, requests: 1, notModified: 0 }),
      { status: 'running', lastStartedAt: at('2026-03-01T11:00:00Z'), lastSuccessAt: null, requests: 1, notModified: 0, items: 0, lastError: null },
    ],
    [
      'a Redis instant older than the row (clock skew between processes) does not move it back',
      stored(),
      volatile({ lastStartedAt: at('2026-03-01T09:00:00Z'), lastSuccessAt: at('2026-03-01T09:00:01Z') }),
      { lastStartedAt: at('2026-03-01T10:00:00Z'), lastSuccessAt: at('2026-03-01T10:01:00Z') },
    ],
  ])('%s', (_name, row, redis, expected) => {
    expect(mergeSyncHealth('commits', row, redis)).toMatchObject({ resource: 'commits', ...expected });
  });

  it('lists a resource known to either side once', () => {
    const merged = mergeRepositorySyncHealth(
      [stored(), stored({ resource: 'pulls' })],
      new Map([
        ['pulls', volatile()],
        ['labels', volatile()],
      ]),
    );
    expect(merged.map((row) => row.resource).sort()).toEqual(['commits', 'labels', 'pulls']);
    expect(merged.find((row) => row.resource === 'pulls')!.requests).toBe(12);
  });
});

describe('parseRepositoryHash', () => {
  it('reads `<resource>.<field>` fields and ignores unknown ones', () => {
    const parsed = parseRepositoryHash({
      'commits.status': 'idle',
      'commits.startedAt': String(Date.parse('2026-03-01T11:00:00Z')),
      'commits.successAt': String(Date.parse('2026-03-01T11:00:01Z')),
      'commits.requests': '3',
      'commits.notModified': '3',
      'pulls.status': 'bogus',
      'pulls.items': '7',
      stray: 'x',
    });
    expect(parsed.get('commits')).toEqual({
      status: 'idle',
      lastStartedAt: at('2026-03-01T11:00:00Z'),
      lastSuccessAt: at('2026-03-01T11:00:01Z'),
      requests: 3,
      notModified: 3,
      items: 0,
    });
    expect(parsed.get('pulls')).toMatchObject({ status: null, items: 7 });
    expect([...parsed.keys()]).toEqual(['commits', 'pulls']);
  });
});

describe('repositoryProgress', () => {
  const since = at('2026-03-01T10:30:00Z');
  it.each<[string, SyncStateHealthRow[], Date | null, { done: boolean; running: boolean; failed: boolean }]>([
    ['no resource yet', [], null, { done: false, running: false, failed: false }],
    ['every resource succeeded', [stored(), stored({ resource: 'pulls' })], null, { done: true, running: false, failed: false }],
    ['a success before `since` is not this run', [stored()], since, { done: false, running: false, failed: false }],
    ['a success after `since`', [stored({ lastSuccessAt: at('2026-03-01T11:00:00Z') })], since, { done: true, running: false, failed: false }],
    ['one running', [stored(), stored({ resource: 'pulls', status: 'running' })], null, { done: false, running: true, failed: false }],
    ['one failed', [stored(), stored({ resource: 'pulls', status: 'failed' })], null, { done: false, running: false, failed: true }],
  ])('%s', (_name, resources, from, expected) => {
    expect(repositoryProgress(resources, from)).toEqual(expected);
  });
});

describe('sameJson', () => {
  it.each<[unknown, unknown, boolean]>([
    [{ a: 1, b: { c: 2, d: [1, 2] } }, { b: { d: [1, 2], c: 2 }, a: 1 }, true],
    [{ after: { updatedAt: '2026-03-01T00:00:00.000Z', id: 5 } }, { after: { id: 5, updatedAt: '2026-03-01T00:00:00.000Z' } }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{}, { watermark: '2026-03-01T00:00:00.000Z' }, false],
  ])('%j vs %j → %p', (a, b, expected) => {
    expect(sameJson(a, b)).toBe(expected);
  });

  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 1, c: 2 } })).toBe('{"a":{"c":2,"d":1},"b":1}');
  });
});
