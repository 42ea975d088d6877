import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { databaseMilliseconds, newDatabaseTime } from './database-timing.js';
import { fixedFieldsLogger } from './logger.js';
import { httpRequestDuration, webhookDeliveries } from './metrics.js';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestContext, type DatabaseTime } from './request-context.js';

/** The webhook endpoint whose answers count as deliveries (`cambrian_webhook_deliveries_total`). */
const WEBHOOK_ROUTE = '/webhooks/github';

/** Routes that answer probes and scrapes: logged at debug, not info. */
const QUIET_ROUTES = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** What the hooks keep of a request: when it arrived (`process.hrtime`) and its database time. */
const requests = new WeakMap<FastifyRequest, { started: bigint; database: DatabaseTime }>();

/** Options of {@link instrumentFastify}. */
export interface FastifyInstrumentationOptions {
  /**
   * Answer every request with a `Server-Timing` header (W3C Server Timing): `db` (the time at least one of
   * its statements was running, `desc` their number) and `total` (from the request's arrival, once its
   * headers are read, until its answer is ready to be written: Fastify's `onSend`), in milliseconds. Off by default: it tells every caller how long the database worked for it.
   */
  serverTiming?: boolean;
}

/** Milliseconds with three decimals, as a Server-Timing `dur`. */
const duration = (milliseconds: number) => String(Math.round(milliseconds * 1000) / 1000);

/** The `Server-Timing` value of a request: `db;desc="N statements";dur=…, total;dur=…` (milliseconds). */
export function serverTimingHeader(database: DatabaseTime, totalMilliseconds: number): string {
  const statements = `${database.queries} statement${database.queries === 1 ? '' : 's'}`;
  return `db;desc="${statements}";dur=${duration(databaseMilliseconds(database))}, total;dur=${duration(totalMilliseconds)}`;
}

/**
 * Counts one answer of `POST /webhooks/github`: every one is `received`; 2xx (stored or duplicate,
 * so the signature verified) is `verified`; 4xx (bad signature, header, media type or payload) is
 * `rejected`; 503 (Postgres did not store it, or the api is shutting down) is `unstored`: GitHub
 * shows the failure and the delivery can be redelivered.
 */
export function countWebhookAnswer(statusCode: number): void {
  webhookDeliveries.inc({ outcome: 'received' });
  if (statusCode < 300) webhookDeliveries.inc({ outcome: 'verified' });
  else if (statusCode >= 400 && statusCode < 500) webhookDeliveries.inc({ outcome: 'rejected' });
  else if (statusCode === 503) webhookDeliveries.inc({ outcome: 'unstored' });
}

/**
 * Instruments a Fastify instance (the api's): each request gets a request id (its `x-request-id`
 * header if acceptable, else a UUID; answered in `x-request-id`) that every log line and every job
 * enqueued while serving it carries; each answer is observed in
 * `cambrian_http_request_duration_seconds` by route template (`unmatched` for 404s without a route)
 * and logged as one `request completed` line (method, route, statusCode, durationMs, and dbMs and
 * dbStatements: the time and number of its database statements, see `TimedPgClient`; never the
 * query string or headers). With `serverTiming`, answers carry a `Server-Timing` header
 * ({@link serverTimingHeader}).
 */
export function instrumentFastify(fastify: FastifyInstance, logger: Logger, options: FastifyInstrumentationOptions = {}): void {
  // the line's fields are fixed here and none is secret; it is still scrubbed as written
  const accessLog = fixedFieldsLogger(logger);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    const database = newDatabaseTime();
    requests.set(request, { started: process.hrtime.bigint(), database });
    void reply.header(REQUEST_ID_HEADER, requestId);
    runWithRequestContext({ requestId, database }, done);
  });
  if (options.serverTiming) {
    fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
      const state = requests.get(request);
      if (state) void reply.header('server-timing', serverTimingHeader(state.database, Number(process.hrtime.bigint() - state.started) / 1e6));
      done(null, payload);
    });
  }
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const state = requests.get(request);
    const seconds = state ? Number(process.hrtime.bigint() - state.started) / 1e9 : 0;
    const route = request.routeOptions.url ?? 'unmatched';
    const statusCode = reply.statusCode;
    httpRequestDuration.observe({ method: request.method, route, status_code: String(statusCode) }, seconds);
    if (route === WEBHOOK_ROUTE && request.method === 'POST') countWebhookAnswer(statusCode);
    const line = {
      requestId: String(reply.getHeader(REQUEST_ID_HEADER) ?? ''),
      method: request.method,
      route,
      statusCode,
      durationMs: Math.round(seconds * 1e4) / 10,
      dbMs: state ? Math.round(databaseMilliseconds(state.database) * 10) / 10 : 0,
      dbStatements: state?.database.queries ?? 0,
    };
    if (QUIET_ROUTES.has(route)) accessLog.debug(line, 'request completed');
    else accessLog.info(line, 'request completed');
    done();
  });
}
