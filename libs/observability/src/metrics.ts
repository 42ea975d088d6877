import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry (`GET /metrics` in apps/api, `METRICS_PORT` in apps/worker).
 * It holds prom-client's default metrics (process CPU and memory, event-loop lag, GC, handles;
 * prefixed `cambrian_`) and every Cambrian metric below. Names follow the Prometheus naming
 * conventions (base units: seconds; counters end in `_total`).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'cambrian_' });

/** Latency buckets (seconds) for HTTP requests, GraphQL operations and jobs: 5 ms … 60 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** `cambrian_http_request_duration_seconds{method,route,status_code}`: route is the template (`/webhooks/github`), never the raw URL. */
export const httpRequestDuration = new Histogram({
  name: 'cambrian_http_request_duration_seconds',
  help: 'HTTP request latency in seconds, by route template, method and status code',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** `cambrian_graphql_operation_duration_seconds{operation,outcome}`: outcome `success` or `error` (any GraphQL error in the result). */
export const graphqlOperationDuration = new Histogram({
  name: 'cambrian_graphql_operation_duration_seconds',
  help: 'GraphQL operation latency in seconds, by operation name (anonymous when unnamed) and outcome',
  labelNames: ['operation', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/**
 * `cambrian_webhook_deliveries_total{outcome}`: `received` (every POST to /webhooks/github),
 * `verified` (signature valid; stored or duplicate), `rejected` (answered 4xx: signature, header,
 * media type or payload), `unstored` (answered 503: Postgres did not store it).
 */
export const webhookDeliveries = new Counter({
  name: 'cambrian_webhook_deliveries_total',
  help: 'GitHub webhook deliveries by outcome: received, verified, rejected, unstored',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/**
 * `cambrian_webhook_deliveries_relayed_total`: stored deliveries the api's relay enqueued because their
 * job was not in Redis (Redis was away when they arrived, or restarted without its data).
 */
export const webhookDeliveriesRelayed = new Counter({
  name: 'cambrian_webhook_deliveries_relayed_total',
  help: 'Stored webhook deliveries enqueued by the relay (their job was missing from Redis)',
  registers: [metricsRegistry],
});

/** Buckets (seconds) for the steps of a webhook acknowledgement: 0.5 ms … 5 s. */
const ACK_STEP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

/**
 * `cambrian_webhook_ack_step_duration_seconds{step}`: where the time of a `POST /webhooks/github`
 * acknowledgement goes, per step of the handler: `verify` (the signature, with the stored secrets when
 * read), `store` (from handing the row to the insert batch to its commit, waiting for the batch
 * included), `enqueue` (from handing the job to the enqueue batch to Redis taking it, or the handler
 * giving up after `ENQUEUE_TIMEOUT_MS`; not recorded when Redis is known to be away and nothing is
 * asked of it). A verify or store that fails (503) is recorded too. Time before the handler runs (parsing, the event loop) is in
 * `cambrian_http_request_duration_seconds` only.
 */
export const webhookAckStepDuration = new Histogram({
  name: 'cambrian_webhook_ack_step_duration_seconds',
  help: 'Time of each step of a webhook acknowledgement in seconds: verify, store, enqueue',
  labelNames: ['step'] as const,
  buckets: ACK_STEP_BUCKETS,
  registers: [metricsRegistry],
});

/** `cambrian_job_duration_seconds{queue,job,outcome}`: processing time of a job attempt (BullMQ `processedOn` → `finishedOn`). */
export const jobDuration = new Histogram({
  name: 'cambrian_job_duration_seconds',
  help: 'BullMQ job attempt duration in seconds, by queue, job name and outcome (completed, failed)',
  labelNames: ['queue', 'job', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

/** `cambrian_job_failures_total{queue,job}`: failed job attempts (each attempt counts; the last one leaves the job in `failed`). */
export const jobFailures = new Counter({
  name: 'cambrian_job_failures_total',
  help: 'Failed BullMQ job attempts, by queue and job name',
  labelNames: ['queue', 'job'] as const,
  registers: [metricsRegistry],
});

/** `cambrian_github_requests_total{status}`: GitHub REST answers by HTTP status (`error` for a network failure). */
export const githubRequests = new Counter({
  name: 'cambrian_github_requests_total',
  help: 'GitHub REST API requests by HTTP status (error: no answer)',
  labelNames: ['status'] as const,
  registers: [metricsRegistry],
});

/** `cambrian_github_rate_limit_remaining{resource}`: `X-RateLimit-Remaining` of the latest answer (GitHub Docs, "Rate limits for the REST API"). */
export const githubRateLimitRemaining = new Gauge({
  name: 'cambrian_github_rate_limit_remaining',
  help: 'Requests left in the current GitHub rate-limit window (X-RateLimit-Remaining of the latest answer), by resource',
  labelNames: ['resource'] as const,
  registers: [metricsRegistry],
});

/** `cambrian_github_rate_limit_limit{resource}`: `X-RateLimit-Limit` of the latest answer. */
export const githubRateLimitLimit = new Gauge({
  name: 'cambrian_github_rate_limit_limit',
  help: 'Size of the GitHub rate-limit window (X-RateLimit-Limit of the latest answer), by resource',
  labelNames: ['resource'] as const,
  registers: [metricsRegistry],
});

/**
 * `cambrian_digests_total{outcome}`: weekly digest sends by outcome — `sent`, `bounced` (SMTP 5xx),
 * `uncertain` (the connection was lost after the hand-over), `empty` (nothing to say), `skipped`
 * (unsubscribed, no address, merged), `already-finished` / `taken-by-another` (a repeated job),
 * `retried` (a 4xx or a connection failure, BullMQ retries it) and `failed` (the last attempt failed).
 */
export const digestSends = new Counter({
  name: 'cambrian_digests_total',
  help: 'Weekly digest send attempts by outcome: sent, bounced, uncertain, empty, skipped, already-finished, taken-by-another, retried, failed',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});

/** Headers as Octokit's fetch answers carry them (a `Headers` object). */
export interface ResponseHeaderLike {
  get(name: string): string | null;
}

/**
 * Records one GitHub answer: counts it by status and, when it carries rate-limit headers,
 * sets the remaining budget and window size of its resource (`X-RateLimit-Resource`, default `core`).
 */
export function recordGithubResponse(status: number | 'error', headers?: ResponseHeaderLike): void {
  githubRequests.inc({ status: String(status) });
  if (!headers) return;
  const remaining = Number(headers.get('x-ratelimit-remaining') ?? Number.NaN);
  const limit = Number(headers.get('x-ratelimit-limit') ?? Number.NaN);
  const resource = headers.get('x-ratelimit-resource') ?? 'core';
  if (Number.isFinite(remaining)) githubRateLimitRemaining.set({ resource }, remaining);
  if (Number.isFinite(limit)) githubRateLimitLimit.set({ resource }, limit);
}
