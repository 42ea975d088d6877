/** Limits of a {@link MicroBatcher}. */
export interface MicroBatcherOptions {
  /** Most items handed to one flush. */
  maxBatchSize: number;
  /** Most flushes in progress at once; items submitted meanwhile wait and form the next batch. */
  maxConcurrentBatches: number;
  /** Most items waiting for a flush; `submit` rejects beyond it (default: no limit). */
  maxPending?: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Coalesces concurrent single-item operations into batches: items submitted during one turn of
 * the event loop, or while `maxConcurrentBatches` flushes are already running, are flushed
 * together. Under light load every item is flushed on its own at the next turn (no added wait);
 * under heavy load one database round trip and one commit serve many requests.
 *
 * `flush` receives the items in submission order and must return one result per item, in the
 * same order; if it throws or rejects, every item of that batch is rejected with the error.
 */
export class MicroBatcher<T, R> {
  private pending: Array<Pending<T, R>> = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly options: MicroBatcherOptions,
  ) {}

  /**
   * Queues `item` for the next batch; settles with its result or its batch's error.
   * Rejects at once when `maxPending` items already wait (e.g. the backing store hangs).
   * When `signal` aborts while the item still waits (no flush has taken it), the item is withdrawn
   * and never flushed, and the promise rejects with the signal's reason; once a flush has taken
   * it, aborting changes nothing.
   */
  submit(item: T, signal?: AbortSignal): Promise<R> {
    if (this.options.maxPending !== undefined && this.pending.length >= this.options.maxPending) {
      return Promise.reject(new Error(`${this.pending.length} items already wait for a flush`));
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<R>((resolve, reject) => {
      const entry: Pending<T, R> = { item, resolve, reject };
      if (signal) {
        const withdraw = () => {
          const index = this.pending.indexOf(entry);
          if (index < 0) return; // already taken by a flush
          this.pending.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', withdraw, { once: true });
        const settle = <V>(done: (value: V) => void) => (value: V) => {
          signal.removeEventListener('abort', withdraw);
          done(value);
        };
        entry.resolve = settle(resolve);
        entry.reject = settle(reject);
      }
      this.pending.push(entry);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0 || this.running >= this.options.maxConcurrentBatches) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.pending.length > 0 && this.running < this.options.maxConcurrentBatches) {
      const batch = this.pending.splice(0, this.options.maxBatchSize);
      this.running += 1;
      this.run(batch).finally(() => {
        this.running -= 1;
        this.schedule();
      });
    }
  }

  private async run(batch: Array<Pending<T, R>>): Promise<void> {
    try {
      const results = await this.flush(batch.map((entry) => entry.item));
      if (results.length !== batch.length) {
        throw new Error(`batch flush returned ${results.length} results for ${batch.length} items`);
      }
      batch.forEach((entry, index) => entry.resolve(results[index]));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
