import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { signWebhookBody } from '#libs/github';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { closeWorkerGracefully, createWorkerProcess, type WorkerProcess } from '../../apps/worker/src/bootstrap.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const SECRET = 'observability-webhook-secret';
const TOKEN = 'ghp_ObservabilityTestToken0123456789abcdef';
const EMAIL = 'ada.lovelace@example.org';

/** The value of one sample of a Prometheus text exposition, or undefined when absent. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const found = Object.fromEntries([...labelText.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(line.split(' ').pop());
  }
  return undefined;
}

/** Polls `probe` every 50 ms until it answers; a hang guard of `seconds` (not a speed check). */
async function until<T>(probe: () => Promise<T | undefined>, what: string, seconds = 90): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what} (${seconds} s)`);
}

describe('observability: health, /metrics, JSON logs with request ids', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  let db: pg.Client;
  const apiLog = new LogCapture();
  const workerLog = new LogCapture();
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET, LOG_LEVEL: 'debug', GITHUB_TOKEN: TOKEN, METRICS_PORT: '0' });
    app = await createApiApp({ logDestination: apiLog });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
  });

  afterAll(async () => {
    if (worker) await closeWorkerGracefully(worker);
    await db?.end();
    await app?.close();
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await env?.teardown();
  });

  const postDelivery = (body: string, headers: Record<string, string> = {}, signature = signWebhookBody(body, SECRET)) =>
    fetch(`${url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'ping',
        'x-github-delivery': randomUUID(),
        'x-github-hook-id': '7',
        'x-hub-signature-256': signature,
        ...headers,
      },
      body,
    });
  const graphql = (query: string, operationName?: string) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName }) });
  const scrape = async (base = url) => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('answers /health, /health/live and /health/ready (Postgres, Redis, migrations) with 200', async () => {
    for (const path of ['/health', '/health/live']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok' });
    }
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { postgres: { status: 'up' }, redis: { status: 'up' }, migrations: { status: 'up' } },
    });
  });

  it('answers /health/ready with 503 naming the migrations check while a migration is not applied', async () => {
    const { rows } = await db.query(`DELETE FROM migrations WHERE id = (SELECT max(id) FROM migrations) RETURNING timestamp, name`);
    try {
      const response = await fetch(`${url}/health/ready`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; error: Record<string, { status: string; pending?: string[] }> };
      expect(body.status).toBe('error');
      expect(Object.keys(body.error)).toEqual(['migrations']);
      expect(body.error.migrations).toEqual({ status: 'down', pending: [rows[0].name] });
      expect((await fetch(`${url}/health/live`)).status).toBe(200); // liveness does not depend on it
    } finally {
      await db.query(`INSERT INTO migrations (timestamp, name) VALUES ($1, $2)`, [rows[0].timestamp, rows[0].name]);
    }
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
  });

  it('counts webhook deliveries received, verified and rejected, and times HTTP requests by route template', async () => {
    expect((await postDelivery('{"zen":"Keep it logically awesome."}')).status).toBe(202);
    expect((await postDelivery('{"zen":"tampered"}', {}, signWebhookBody('{"zen":"other"}', SECRET))).status).toBe(401);
    expect((await fetch(`${url}/members/${EMAIL}`)).status).toBe(404);
    const metrics = await scrape();
    expect(sample(metrics, 'cambrian_webhook_deliveries_total', { outcome: 'received' })).toBe(2);
    expect(sample(metrics, 'cambrian_webhook_deliveries_total', { outcome: 'verified' })).toBe(1);
    expect(sample(metrics, 'cambrian_webhook_deliveries_total', { outcome: 'rejected' })).toBe(1);
    const route = { method: 'POST', route: '/webhooks/github' };
    expect(sample(metrics, 'cambrian_http_request_duration_seconds_count', { ...route, status_code: '202' })).toBe(1);
    expect(sample(metrics, 'cambrian_http_request_duration_seconds_count', { ...route, status_code: '401' })).toBe(1);
    expect(sample(metrics, 'cambrian_http_request_duration_seconds_bucket', { ...route, status_code: '202', le: '+Inf' })).toBe(1);
    // the steps of the handler: both signatures checked, one delivery stored and enqueued
    expect(sample(metrics, 'cambrian_webhook_ack_step_duration_seconds_count', { step: 'verify' })).toBe(2);
    expect(sample(metrics, 'cambrian_webhook_ack_step_duration_seconds_count', { step: 'store' })).toBe(1);
    expect(sample(metrics, 'cambrian_webhook_ack_step_duration_seconds_count', { step: 'enqueue' })).toBe(1);
    expect(sample(metrics, 'cambrian_webhook_ack_step_duration_seconds_bucket', { step: 'store', le: '+Inf' })).toBe(1);
    // an unmatched path is one label value, never the raw URL (which could hold anything)
    expect(sample(metrics, 'cambrian_http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(metrics).not.toContain(EMAIL);
    // default registry metrics: process and event loop
    expect(sample(metrics, 'cambrian_process_resident_memory_bytes', {})).toBeGreaterThan(0);
    expect(metrics).toMatch(/^cambrian_nodejs_eventloop_lag_seconds \d/m);
  });

  it('times GraphQL operations by name and outcome', async () => {
    expect((await graphql('query Typename { __typename }', 'Typename')).status).toBe(200);
    await graphql('query Broken { noSuchField }', 'Broken');
    await graphql('{ __typename }');
    const metrics = await scrape();
    expect(sample(metrics, 'cambrian_graphql_operation_duration_seconds_count', { operation: 'Typename', outcome: 'success' })).toBe(1);
    expect(sample(metrics, 'cambrian_graphql_operation_duration_seconds_count', { operation: 'Broken', outcome: 'error' })).toBe(1);
    expect(sample(metrics, 'cambrian_graphql_operation_duration_seconds_count', { operation: 'anonymous', outcome: 'success' })).toBe(1);
  });

  it('reports queue depth per queue and state at scrape time', async () => {
    const queue = new Queue(QueueName.Stages, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    try {
      await queue.add(JobName.RecomputeStages, { ecosystemId: 1 }, { delay: 3_600_000 });
      await queue.add(JobName.RecomputeStages, { ecosystemId: 2 }, { delay: 3_600_000 });
      const metrics = await scrape();
      expect(sample(metrics, 'cambrian_queue_jobs', { queue: 'stages', state: 'delayed' })).toBe(2);
      expect(sample(metrics, 'cambrian_queue_jobs', { queue: 'stages', state: 'waiting' })).toBe(0);
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        expect(sample(metrics, 'cambrian_queue_jobs', { queue: 'webhooks', state })).toBeDefined();
      }
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('reports the stage evaluation outbox (requests waiting, enqueued, the oldest one\'s age) at scrape time', async () => {
    const before = await scrape();
    expect(sample(before, 'cambrian_stage_outbox_requests', { state: 'waiting' })).toBe(0);
    expect(sample(before, 'cambrian_stage_outbox_requests', { state: 'enqueued' })).toBe(0);
    expect(sample(before, 'cambrian_stage_outbox_oldest_request_seconds', {})).toBe(0);
    try {
      await db.query(
        `INSERT INTO stage_evaluation_outbox (key, requested_at, enqueued_seq, enqueued_at) VALUES
           ($1, now() - interval '10 minutes', NULL, NULL),
           ($2, now() - interval '1 minute', NULL, NULL),
           ($3, now() - interval '2 minutes', 1, now() - interval '1 minute')`,
        [`member:${randomUUID()}`, `member:${randomUUID()}`, 'merged:42'],
      );
      const metrics = await scrape();
      expect(sample(metrics, 'cambrian_stage_outbox_requests', { state: 'waiting' })).toBe(2);
      expect(sample(metrics, 'cambrian_stage_outbox_requests', { state: 'enqueued' })).toBe(1);
      const oldest = sample(metrics, 'cambrian_stage_outbox_oldest_request_seconds', {});
      expect(oldest).toBeGreaterThanOrEqual(600);
      expect(oldest).toBeLessThan(3_600);
    } finally {
      await db.query(`DELETE FROM stage_evaluation_outbox`);
    }
  });

  it('carries the x-request-id of a request into the job it creates, and the worker logs it with the job metrics', async () => {
    const requestId = `req-${randomUUID()}`;
    const response = await postDelivery('{"zen":"Design for failure.","hook_id":7}', { 'x-request-id': requestId });
    expect(response.status).toBe(202);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    const { delivery } = (await response.json()) as { delivery: string };
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    try {
      const rowId = (await db.query(`SELECT id FROM webhook_delivery WHERE delivery_id = $1`, [delivery])).rows[0].id as string;
      // the job is in Redis once the delivery is enqueued (at once, or by the relay when Redis was slow to answer)
      const job = await until(
        async () =>
          (await queue.getJobs(['waiting', 'prioritized', 'delayed'])).find((candidate) => String((candidate.data as { deliveryRowId?: unknown }).deliveryRowId) === String(rowId)),
        'the delivery job in the webhooks queue',
      );
      expect(job.data).toMatchObject({ requestId });
    } finally {
      await queue.close();
    }
    const accessLine = apiLog.lines().find((line) => line.msg === 'request completed' && line.requestId === requestId);
    expect(accessLine).toMatchObject({ level: 'info', service: 'cambrian-api', method: 'POST', route: '/webhooks/github', statusCode: 202 });
    expect(typeof accessLine?.time).toBe('string');

    worker = await createWorkerProcess({ logDestination: workerLog });
    // a worker just started takes its first job slowly on a loaded two-core machine (over 60 s once, in a full run)
    const completed = await until(
      async () => workerLog.lines().find((line) => line.msg === 'job completed' && line.requestId === requestId),
      'the worker to log the job',
      180,
    ).catch(async (error: Error) => {
      // say where the job stands and what the worker last logged, for whoever reads the failure
      const probe = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
      try {
        const counts = await probe.getJobCounts();
        const last = workerLog.lines().slice(-15).map((line) => `${String(line.level)} ${String(line.msg)}`);
        // every job line in full (queue, job id, request id): which job completed, and carrying which request's id
        const jobs = workerLog.lines().filter((line) => String(line.msg).startsWith('job '));
        throw new Error(
          `${error.message}; the job carried ${requestId}; webhooks queue ${JSON.stringify(counts)}; the worker's last log lines: ${JSON.stringify(last)}; ` +
            `its job lines: ${JSON.stringify(jobs)}`,
        );
      } finally {
        await probe.close();
      }
    });
    expect(completed).toMatchObject({ service: 'cambrian-worker', queue: 'webhooks', job: JobName.ProcessDelivery });
    const metrics = await scrape(`http://127.0.0.1:${worker.metrics!.port}`);
    expect(sample(metrics, 'cambrian_job_duration_seconds_count', { queue: 'webhooks', job: JobName.ProcessDelivery, outcome: 'completed' })).toBeGreaterThanOrEqual(1);
  }, 300_000); // a worker started inside the test: its start-up is slow on a loaded two-core machine

  it('a generated request id is answered when the client sends none (or an unusable one)', async () => {
    const plain = await fetch(`${url}/health/live`);
    expect(plain.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const spaced = await fetch(`${url}/health/live`, { headers: { 'x-request-id': 'has spaces in it' } });
    expect(spaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never writes the token, the webhook secret or an e-mail address to the logs', async () => {
    await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ query: `query Who { member(login: "${EMAIL}") { id } }` }),
    });
    const output = apiLog.text.join('') + workerLog.text.join('');
    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(TOKEN);
    expect(output).not.toContain(SECRET);
    expect(output).not.toContain(EMAIL);
  });
});
