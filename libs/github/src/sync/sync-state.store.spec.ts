import type { DataSource } from 'typeorm';
import type { SyncHealthCache } from './sync-health-cache.js';
import { SyncStateStore } from './sync-state.store.js';

/** A DataSource that records statements; SELECTs answer `row`, writes fail when `failWrites`. */
function fakeDatabase(row: Record<string, unknown> | null, failWrites = false) {
  const writes: Array<{ sql: string; params: unknown[] }> = [];
  const dataSource = {
    query: async (sql: string, params: unknown[] = []) => {
      if (sql.trimStart().startsWith('SELECT')) return row ? [row] : [];
      if (failWrites) throw new Error('database unavailable');
      writes.push({ sql, params });
      return [];
    },
  } as unknown as DataSource;
  return { dataSource, writes };
}

/** A cache that records calls; `down` makes every call reject (Redis unavailable). */
function fakeCache(held = { requests: 0, notModified: 0, items: 0 }, down = false) {
  const calls: Array<[string, ...unknown[]]> = [];
  const call = (name: string) => async (...args: unknown[]) => {
    calls.push([name, ...args]);
    if (down) throw new Error('redis unavailable');
    return name === 'takeCounters' ? held : undefined;
  };
  const cache = {
    started: call('started'),
    finished: call('finished'),
    takeCounters: call('takeCounters'),
    addCounters: call('addCounters'),
  } as unknown as SyncHealthCache;
  return { cache, calls };
}

const idleRow = { cursor: { watermark: '2026-03-01T00:00:00.000Z' }, etag: 'W/"a"', status: 'idle', last_error: null };
/** Parameters $10–$12 of the upsert: requests, not_modified, items added. */
const counters = (params: unknown[]) => params.slice(9, 12);

describe('SyncStateStore', () => {
  it('writes only Redis when a run changed nothing (same cursor and ETag, row idle without error)', async () => {
    const { dataSource, writes } = fakeDatabase(idleRow);
    const { cache, calls } = fakeCache();
    const store = new SyncStateStore(dataSource, cache);
    const stored = await store.start(1, 'commits');
    await store.complete(stored, { watermark: '2026-03-01T00:00:00.000Z' }, 'W/"a"', { requests: 1, notModified: 1 });
    expect(writes).toEqual([]);
    expect(calls.map(([name]) => name)).toEqual(['started', 'finished']);
    expect(calls[1]).toEqual(['finished', 1, 'commits', 'idle', { requests: 1, notModified: 1 }]);
  });

  it.each<[string, Record<string, unknown> | null, object, string | null]>([
    ['a new ETag', idleRow, { watermark: '2026-03-01T00:00:00.000Z' }, 'W/"b"'],
    ['a new cursor', idleRow, { watermark: '2026-03-02T00:00:00.000Z' }, 'W/"a"'],
    ['a row left failed', { ...idleRow, status: 'failed', last_error: 'boom' }, { watermark: '2026-03-01T00:00:00.000Z' }, 'W/"a"'],
    ['no row yet', null, {}, null],
  ])('writes Postgres for %s, adding the counters Redis held', async (_name, row, cursor, etag) => {
    const { dataSource, writes } = fakeDatabase(row);
    const { cache } = fakeCache({ requests: 4, notModified: 3, items: 0 });
    const store = new SyncStateStore(dataSource, cache);
    await store.complete(await store.start(1, 'commits'), cursor, etag, { requests: 2, items: 100 });
    expect(writes).toHaveLength(1);
    expect(counters(writes[0].params)).toEqual([6, 3, 100]);
  });

  it('falls back to Postgres when Redis refuses the run (its counters are not lost)', async () => {
    const { dataSource, writes } = fakeDatabase(idleRow);
    const { cache } = fakeCache(undefined, true);
    const store = new SyncStateStore(dataSource, cache);
    const stored = await store.start(1, 'commits');
    await store.complete(stored, stored.cursor, stored.etag, { requests: 1, notModified: 1 });
    // start's own fallback (status running), then the completion
    expect(writes.map((write) => write.params[5])).toEqual(['running', 'idle']);
    expect(counters(writes[1].params)).toEqual([1, 1, 0]);
  });

  it('gives the counters it took back to Redis when the Postgres write fails', async () => {
    const { dataSource } = fakeDatabase(idleRow, true);
    const { cache, calls } = fakeCache({ requests: 4, notModified: 3, items: 0 });
    const store = new SyncStateStore(dataSource, cache);
    const stored = await store.start(1, 'commits');
    await expect(store.fail(stored, new Error('HTTP 502'), { requests: 1 })).rejects.toThrow('database unavailable');
    expect(calls.find(([name]) => name === 'addCounters')).toEqual(['addCounters', 1, 'commits', { requests: 4, notModified: 3, items: 0 }]);
  });
});
