import pg from 'pg';
import { currentRequestContext } from './request-context.js';

/**
 * node-postgres's `Client`, timing statements: the wall time of every statement run while serving an
 * api request is added to that request's `RequestContext.database` (its number, and milliseconds from
 * handing the statement to the connection until its rows are parsed, a wait in the connection's own
 * queue included; `performance.now()`), in the promise and the callback forms of `query`. Where the
 * context has no `database` (outside a request, in a job), and for submittables (cursors, query
 * streams, COPY), it is node-postgres's own `query`. TypeORM takes it as the pool's `Client`
 * (`extra.Client`, libs/db/src/database.module.ts).
 */
export class TimedPgClient extends pg.Client {}

const untimedQuery = pg.Client.prototype.query;

TimedPgClient.prototype.query = function timedQuery(this: pg.Client, ...args: unknown[]): unknown {
  const time = currentRequestContext()?.database;
  const query = untimedQuery as (...a: unknown[]) => unknown;
  // a submittable (cursor, query stream, COPY) reports its own progress: not timed
  if (!time || typeof (args[0] as { submit?: unknown } | null)?.submit === 'function') return query.apply(this, args);
  const started = performance.now();
  const done = () => {
    time.queries += 1;
    time.milliseconds += performance.now() - started;
  };
  // the callback form (pg.Pool's own `query` uses it): the callback is the last argument
  const last = args.length - 1;
  if (typeof args[last] === 'function') {
    const callback = args[last] as (...results: unknown[]) => unknown;
    args[last] = (...results: unknown[]) => {
      done();
      return callback(...results);
    };
    return query.apply(this, args);
  }
  const result = query.apply(this, args);
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') return result;
  return (result as Promise<unknown>).then(
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
