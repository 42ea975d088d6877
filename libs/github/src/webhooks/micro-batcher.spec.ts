import { MicroBatcher } from './micro-batcher.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MicroBatcher', () => {
  it('flushes the items submitted in one turn together, in order, and gives each its own result', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((item) => item * 10);
    }, { maxBatchSize: 10, maxConcurrentBatches: 1 });
    const results = await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('splits at maxBatchSize and lets items wait while maxConcurrentBatches flushes run', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      await gate;
      return items;
    }, { maxBatchSize: 2, maxConcurrentBatches: 2 });
    const first = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    await tick();
    const later = [6, 7].map((item) => batcher.submit(item));
    await tick();
    expect(batches).toEqual([[1, 2], [3, 4]]); // two flushes running; 5, 6, 7 wait
    release();
    expect(await Promise.all([...first, ...later])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
  });

  it('rejects every item of a failed batch and keeps serving the next ones', async () => {
    let fail = true;
    const batcher = new MicroBatcher<string, string>(async (items) => {
      if (fail) throw new Error('database away');
      return items;
    }, { maxBatchSize: 10, maxConcurrentBatches: 1 });
    const failed = await Promise.allSettled([batcher.submit('a'), batcher.submit('b')]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.submit('c')).resolves.toBe('c');
  });

  it('refuses new items at once when maxPending items already wait', async () => {
    const batcher = new MicroBatcher<number, number>(() => new Promise(() => undefined), { maxBatchSize: 1, maxConcurrentBatches: 1, maxPending: 1 });
    void batcher.submit(1); // flushed, never settles
    await tick();
    void batcher.submit(2); // waits
    await expect(batcher.submit(3)).rejects.toThrow('1 items already wait');
  });

  it('rejects when a flush returns the wrong number of results', async () => {
    const batcher = new MicroBatcher<number, number>(async () => [], { maxBatchSize: 10, maxConcurrentBatches: 1 });
    await expect(batcher.submit(1)).rejects.toThrow('returned 0 results for 1 items');
  });

  it('withdraws an item whose caller gave up before a flush took it, and never flushes it', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      await gate;
      return items;
    }, { maxBatchSize: 1, maxConcurrentBatches: 1 });
    const running = batcher.submit(1);
    await tick();
    const giveUp = new AbortController();
    const waiting = batcher.submit(2, giveUp.signal);
    const kept = batcher.submit(3, new AbortController().signal);
    giveUp.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    release();
    expect(await running).toBe(1);
    expect(await kept).toBe(3);
    expect(batches).toEqual([[1], [3]]);
  });
});
