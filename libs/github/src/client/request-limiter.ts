/**
 * A budget for requests on one token. This in-process semaphore caps the requests in flight;
 * issue 3 replaces it with a Redis-backed budget shared by every worker process (same
 * interface: `run` waits for a slot, then releases it when the request settles).
 */
export interface RequestLimiter {
  /** Runs `work` once a slot is free; the slot is held until `work` settles. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Requests running now. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly waiting: number;
}

/** A counting semaphore: at most `capacity` calls of `run` at once, the rest in FIFO order. */
export class Semaphore implements RequestLimiter {
  private running = 0;
  private readonly queue: Array<() => void> = [];

  /** @throws RangeError when `capacity` is not a positive integer. */
  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  get active(): number {
    return this.running;
  }

  get waiting(): number {
    return this.queue.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.capacity) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.running += 1;
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      if (next) next(); // hands the slot over without releasing it
      else this.running -= 1;
    }
  }
}

const limiters = new Map<string, Semaphore>();

/**
 * The process-wide limiter of one token (`tokenKey` is a hash, never the token), created with
 * `capacity` on first use, so every client built for the same token shares one budget. A
 * later call with another capacity gets the existing limiter.
 */
export function limiterForToken(tokenKey: string, capacity: number): RequestLimiter {
  let limiter = limiters.get(tokenKey);
  if (!limiter) {
    limiter = new Semaphore(capacity);
    limiters.set(tokenKey, limiter);
  }
  return limiter;
}
