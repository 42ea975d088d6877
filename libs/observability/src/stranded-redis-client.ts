/** A Redis client that can be disconnected (ioredis' `Redis`; BullMQ's `IRedisClient`), and maybe quit. */
export interface DisconnectableClient {
  disconnect(reconnect?: boolean): void;
  quit?(...args: never[]): Promise<unknown>;
}

/** The parts of an ioredis client that its typings keep private but that ending a stranded client needs. */
interface ClientInternals {
  status: string;
  setStatus(status: string): void;
  flushQueue(error: Error): void;
}

/** ioredis' message for commands rejected because their connection closed (`CONNECTION_CLOSED_ERROR_MSG`). */
const CONNECTION_CLOSED = 'Connection is closed.';

const endsStranded = Symbol('cambrian.endsStrandedClientOnDisconnect');

/**
 * Makes `client.disconnect()` end a client that is waiting to reconnect.
 *
 * ioredis 5 leaves such a client stranded: in status `reconnecting` it has no socket, so
 * `disconnect()` clears the retry timer and closes a socket that is already gone; no `close` event
 * follows, the client never reaches `end`, and the commands queued before the connection dropped
 * never settle (redis/ioredis#2169). BullMQ's `Worker.close()` interrupts its blocking connection
 * with `disconnect()` and waits for `end` (taskforcesh/bullmq#4656), so a graceful shutdown that
 * comes while a worker's blocking connection is between retries (after a Redis restart, for as long
 * as the backoff, up to 20 s) would wait for ever.
 *
 * The same holds for `quit()`, which BullMQ's close sends on a worker's other (non-blocking)
 * connection: in `reconnecting` ioredis queues QUIT behind the commands already waiting for Redis (a
 * stalled-job check, a lock extension made during the outage), so it settles only once Redis answers.
 *
 * After this call, a `disconnect()` (without `reconnect`) or a `quit()` of a client in `reconnecting`
 * ends it the way ioredis ends a client that never connected (status `wait`): status `end` (the `end`
 * event) and its queued commands rejected with ioredis' "Connection is closed." (`quit()` then
 * resolves "OK"). Any other call is ioredis' own. Idempotent per client; meant for ioredis 5 clients
 * (BullMQ's raw clients are).
 */
export function endStrandedClientOnDisconnect(client: DisconnectableClient): void {
  const marked = client as DisconnectableClient & { [endsStranded]?: true };
  if (marked[endsStranded]) return;
  marked[endsStranded] = true;
  const disconnect = client.disconnect.bind(client);
  client.disconnect = (reconnect = false): void => {
    const internals = client as unknown as ClientInternals;
    const stranded = !reconnect && internals.status === 'reconnecting';
    disconnect(reconnect);
    if (stranded && internals.status === 'reconnecting') {
      internals.setStatus('end');
      internals.flushQueue(new Error(CONNECTION_CLOSED));
    }
  };
  const quit = client.quit?.bind(client);
  if (quit) {
    client.quit = (...args: never[]): Promise<unknown> => {
      if ((client as unknown as ClientInternals).status !== 'reconnecting') return quit(...args);
      client.disconnect();
      return Promise.resolve('OK');
    };
  }
}
