import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What every log line written while serving a request (or running a job) carries. */
export interface RequestContext {
  requestId: string;
  /** Statements run for this request so far and their wall time (`TimedPgClient`); absent: not timed. */
  database?: DatabaseTime;
}

/**
 * Database statements of one request (kept by `TimedPgClient`; create with `newDatabaseTime`, read
 * with `databaseMilliseconds`): `queries` finished, and the wall time during which at least one was
 * running, in milliseconds — statements that overlap (GraphQL resolves fields at once) count once, so
 * it never exceeds the request's own time.
 */
export interface DatabaseTime {
  queries: number;
  /** Milliseconds with a statement running, up to the last moment none was. */
  milliseconds: number;
  /** Statements running now. */
  running: number;
  /** `performance.now()` when the statements running now began to run (meaningful while `running` > 0). */
  runningSince: number;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Header a request id is read from and answered in. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Longest request id accepted from a client; longer (or non-printable) ones are replaced by a generated one. */
const MAX_REQUEST_ID_LENGTH = 128;
const REQUEST_ID_PATTERN = /^[\x21-\x7e]+$/;

/**
 * The request id of an incoming request: its `x-request-id` header when it is 1–128 printable
 * ASCII characters without spaces (a proxy's or a client's id, kept so the logs join up), else a
 * new UUID v4.
 */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  if (value && value.length <= MAX_REQUEST_ID_LENGTH && REQUEST_ID_PATTERN.test(value)) return value;
  return randomUUID();
}

/** Runs `fn` with `context` as the current request context (log lines and enqueued jobs carry its id). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The current request context, or undefined outside a request or job. */
export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}
