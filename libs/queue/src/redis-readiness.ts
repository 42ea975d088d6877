import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The parts of a queue's ioredis client that readiness needs. */
type ReadinessClient = Pick<Redis, 'status' | 'on' | 'off'>;

/**
 * Whether a queue's Redis connection is usable right now, without a round trip: ioredis' own
 * connection state (`status === 'ready'` once connected and, for BullMQ, its scripts loaded).
 * While Redis is away ioredis keeps reconnecting (see redis-connection.ts) and reports
 * `connecting` / `reconnecting`; a caller that must not wait for Redis (the webhook
 * acknowledgement) skips it then, and a relay runs again on {@link RedisReadiness.onReady}.
 */
export class RedisReadiness {
  private client: ReadinessClient | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly ready = () => {
    for (const listener of this.listeners) listener();
  };

  constructor(queue: Queue) {
    // BullMQ's Redis backend exposes the ioredis client as a promise (typed as its minimal interface)
    void (queue.backend.client as unknown as Promise<ReadinessClient>).then(
      (client) => {
        this.client = client;
        client.on('ready', this.ready);
        // the promise resolves once connected: that first 'ready' has already been emitted
        if (client.status === 'ready') this.ready();
      },
      () => undefined, // a connection that never opens stays "unknown" (see isReady)
    );
  }

  /**
   * `true` when connected, `false` while (re)connecting or closed; `undefined` until the client
   * exists (just after start-up), when callers should try and bound their wait instead.
   */
  isReady(): boolean | undefined {
    return this.client === undefined ? undefined : this.client.status === 'ready';
  }

  /** Calls `listener` when the connection is first ready and each time it is ready again (after an outage); returns the unsubscribe. */
  onReady(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops listening to the client. */
  dispose(): void {
    this.client?.off('ready', this.ready);
    this.listeners.clear();
  }
}
