/**
 * A budget for requests on one token: `run` waits for a slot, then releases it when the request
 * settles. {@link Semaphore} caps one process; `RedisTokenBudget` (token-budget.ts) is shared by
 * every worker process and also pauses the token after a rate limit.
 */
export interface RequestLimiter {
  /** Runs `work` once a slot is free; the slot is held until `work` settles. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Requests running now. */
  readonly active: number;
  /** Requests waiting for a slot. */
  readonly waiting: number;
  /**
   * Reads an answer (status, headers, error message) before its slot is released; a budget that
   * pauses the token after a rate limit implements it.
   */
  observe?(status: number, headers: Headers, message: string | undefined): Promise<unknown>;
  /** Holds this process's new requests until the returned function is called (see `RedisTokenBudget.hold`). */
  hold?(): () => void;
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
