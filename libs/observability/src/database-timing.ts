import pg from 'pg';
import { currentRequestContext, type DatabaseTime } from './request-context.js';

/** A request's empty {@link DatabaseTime}. */
export function newDatabaseTime(): DatabaseTime {
  return { queries: 0, milliseconds: 0, running: 0, runningSince: 0 };
}

/** Milliseconds during which at least one of the request's statements ran, up to `now` (`performance.now()`). */
export function databaseMilliseconds(time: DatabaseTime, now = performance.now()): number {
  return time.milliseconds + (time.running > 0 ? now - time.runningSince : 0);
}

function statementStarted(time: DatabaseTime): void {
  if (time.running === 0) time.runningSince = performance.now();
  time.running += 1;
}

function statementFinished(time: DatabaseTime): void {
  time.queries += 1;
  time.running -= 1;
  if (time.running === 0) time.milliseconds += performance.now() - time.runningSince;
}

/**
 * node-postgres's `Client`, timing statements: every statement run while serving an api request is
 * counted in that request's `RequestContext.database`, and the time it runs (from handing it to the
 * connection until its rows are parsed, a wait in the connection's own queue included;
 * `performance.now()`) is added to the request's database time, statements that overlap counting once
 * (see {@link DatabaseTime}). The promise and the callback forms of `query` are timed. Where the
 * context has no `database` (outside a request, in a job), and for submittables (cursors, query
 * streams, COPY), it is node-postgres's own `query`. The statement belongs to the context `query` is
 * called in: pg.Pool's own `query` on a full pool runs in the context of whoever releases a connection,
 * so a request that must be timed checks a client out (TypeORM does) instead. TypeORM takes this class
 * as the pool's `Client` (`extra.Client`, libs/db/src/database.module.ts); so does the audit lock's pool.
 */
export class TimedPgClient extends pg.Client {}

const untimedQuery = pg.Client.prototype.query;

TimedPgClient.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const time = currentRequestContext()?.database;
  const query = untimedQuery as (...a: unknown[]) => unknown;
  const config = args[0] as { submit?: unknown; callback?: unknown } | null | undefined;
  // a submittable (cursor, query stream, COPY) reports its own progress: not timed
  if (!time || typeof config?.submit === 'function') return query.apply(this, args);
  statementStarted(time);
  const done = () => statementFinished(time);
  const timedCallback = (callback: (...results: unknown[]) => unknown) => (...results: unknown[]) => {
    done();
    return callback(...results);
  };
  // the callback forms: `query(text, [values], callback)` (pg.Pool's own `query` uses it) and `query({ text, callback })`
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    args[last] = timedCallback(args[last] as (...results: unknown[]) => unknown);
    return query.apply(this, args);
  }
  if (args.length === 1 && typeof config?.callback === 'function') {
    return query.call(this, { ...config, callback: timedCallback(config.callback as (...results: unknown[]) => unknown) });
  }
  // the promise form (TypeORM's); node-postgres throws at once for a missing query text
  let result: Promise<unknown>;
  try {
    result = query.apply(this, args) as Promise<unknown>;
  } catch (error) {
    done();
    throw error;
  }
  return result.then(
    (value) => {
      done();
      return value;
    },
    (error: unknown) => {
      done();
      throw error;
    },
  );
} as typeof untimedQuery;
