import { Semaphore } from './request-limiter.js';

describe('Semaphore', () => {
  it('never runs more than its capacity at once and runs everything in the end', async () => {
    const semaphore = new Semaphore(2);
    const flush = () => new Promise((resolve) => setImmediate(resolve));
    let running = 0;
    let peak = 0;
    const gates: Array<() => void> = [];
    let done = false;
    const all = Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        semaphore.run(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise<void>((resolve) => gates.push(resolve));
          running -= 1;
          return index;
        }),
      ),
    ).finally(() => (done = true));
    while (!done) {
      await flush();
      expect(running).toBeLessThanOrEqual(2);
      gates.splice(0).forEach((open) => open());
      await flush();
    }
    expect(await all).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(semaphore.active).toBe(0);
  });

  it('releases its slot when the work throws', async () => {
    const semaphore = new Semaphore(1);
    await expect(semaphore.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(semaphore.run(async () => 'next')).resolves.toBe('next');
    expect(semaphore.active).toBe(0);
  });

  it.each([0, -1, 1.5])('refuses capacity %s', (capacity) => {
    expect(() => new Semaphore(capacity)).toThrow(RangeError);
  });
});
