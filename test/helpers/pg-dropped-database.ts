import pg from 'pg';

/**
 * Each test file's database is dropped `WITH (FORCE)` in its teardown, once its connections have
 * closed or after 3 s (test-database.ts); Postgres ends every connection still open then (a leak)
 * with 57P01 ("terminating connection due to administrator
 * command"), which pg follows with "Connection terminated unexpectedly". A pg Pool or Client with
 * no `error` listener turns those into an uncaught EventEmitter error, which Jest then pins on
 * whichever test file runs next in the same worker. Only those two errors of such a dropped
 * connection, on an emitter nobody listens to, are reported here as a warning naming the leak
 * instead of failing an unrelated file; every other error is emitted as before.
 */
const dropped = new WeakSet<object>();

for (const Emitter of [pg.Pool, pg.Client] as Array<{ prototype: NodeJS.EventEmitter }>) {
  const emit = Emitter.prototype.emit;
  Emitter.prototype.emit = function patchedEmit(this: NodeJS.EventEmitter, event: string | symbol, ...args: unknown[]) {
    if (event === 'error') {
      const error = args[0] as { code?: string; message?: string } | undefined;
      if (error?.code === '57P01') {
        dropped.add(this);
        if (args[1] && typeof args[1] === 'object') dropped.add(args[1]); // a pool passes the client
      }
      const ofDroppedConnection = error?.code === '57P01' || (dropped.has(this) && /Connection terminated/.test(error?.message ?? ''));
      if (ofDroppedConnection && this.listenerCount('error') === 0) {
        console.warn(`a Postgres connection was still open when its test database was dropped: ${error?.message}`);
        return false;
      }
    }
    return emit.call(this, event, ...args);
  } as typeof emit;
}
