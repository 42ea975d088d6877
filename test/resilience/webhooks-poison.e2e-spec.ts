import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { issueOpenedPayload, postDelivery, startApiAndWorkerOnTestDatabase, until, type ApiAndWorkerOnTestDatabase } from './resilience-processes.js';

const FAILED_JOBS = `query Failed($queue: Queue) { failedJobs(queue: $queue) { queue jobId name deliveryId error attempts maxAttempts failedAt } }`;
const RETRY = `mutation Retry($queue: Queue!, $jobId: ID!) { retryFailedJob(queue: $queue, jobId: $jobId) { jobId deliveryId attempts } }`;

interface GraphqlAnswer {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * Issue 9, "Poison input": a delivery whose processing throws fails after its attempts, lands in the
 * failed list admins read in GraphQL, blocks nothing else, and is processed once retried after a fix.
 * Compiled api and worker; the worker has one job slot, so a poison that blocked would block all.
 */
describe('a poison webhook delivery (compiled api and worker)', () => {
  let apps: ApiAndWorkerOnTestDatabase | undefined;
  let db: pg.Pool;
  let url: string;
  let adminToken: string;

  const graphql = async (query: string, variables: Record<string, unknown>, token?: string): Promise<GraphqlAnswer> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphqlAnswer;
  };
  const statusOf = async (delivery: string) =>
    (await db.query(`SELECT status FROM webhook_delivery WHERE delivery_id = $1`, [delivery])).rows[0]?.status as string | undefined;

  beforeAll(async () => {
    const appEnv = { WEBHOOK_JOB_ATTEMPTS: '3', WEBHOOK_JOB_BACKOFF_MS: '200', WEBHOOK_WORKER_CONCURRENCY: '1' };
    apps = await startApiAndWorkerOnTestDatabase(appEnv, 'resilience admin');
    ({ db, url, adminToken } = apps);
  }, 300_000);

  afterAll(async () => {
    await apps?.stop();
  });

  it('fails after its attempts into the admin failed list without blocking the others, and is processed once retried after a fix', async () => {
    // an issue number beyond Postgres' integer: the delivery is stored, but writing its issue row fails on every attempt
    const poison = randomUUID();
    expect((await postDelivery(url, poison, issueOpenedPayload(2 ** 40))).status).toBe(202);
    const others = Array.from({ length: 6 }, () => randomUUID());
    for (const [i, delivery] of others.entries()) expect((await postDelivery(url, delivery, issueOpenedPayload(10 + i))).status).toBe(202);

    await until(async () => (await statusOf(poison)) === 'failed', 'the poison delivery to fail');
    await until(async () => (await Promise.all(others.map(statusOf))).every((status) => status === 'processed'), 'the other deliveries to be processed');
    // the queue goes on after the failure
    const later = randomUUID();
    expect((await postDelivery(url, later, issueOpenedPayload(30))).status).toBe(202);
    await until(async () => (await statusOf(later)) === 'processed', 'a later delivery to be processed');

    const { rows: [stored] } = await db.query(`SELECT attempts, error FROM webhook_delivery WHERE delivery_id = $1`, [poison]);
    expect(stored).toEqual({ attempts: 3, error: expect.stringContaining('out of range for type integer') });

    // the failed list is for admins only
    const anonymous = await graphql(FAILED_JOBS, { queue: 'WEBHOOKS' });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const listed = await graphql(FAILED_JOBS, { queue: 'WEBHOOKS' }, adminToken);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.failedJobs).toEqual([
      {
        queue: 'WEBHOOKS',
        jobId: expect.stringMatching(/^delivery-\d+-[0-9a-f]{16}$/),
        name: 'process-delivery',
        deliveryId: poison,
        error: stored.error,
        attempts: 3,
        maxAttempts: 3,
        failedAt: expect.any(String),
      },
    ]);
    expect(Number.isNaN(Date.parse(listed.data!.failedJobs[0].failedAt))).toBe(false);
    expect((await graphql(FAILED_JOBS, {}, adminToken)).data!.failedJobs).toHaveLength(1); // every queue
    const { jobId } = listed.data!.failedJobs[0];

    // the fix: here the stored payload is corrected (a deployed normaliser fix would do the same for the original)
    await db.query(
      `UPDATE webhook_delivery SET payload = $2::json WHERE delivery_id = $1`,
      [poison, JSON.stringify(issueOpenedPayload(1))],
    );
    const retried = await graphql(RETRY, { queue: 'WEBHOOKS', jobId }, adminToken);
    expect(retried).toEqual({ data: { retryFailedJob: { jobId, deliveryId: poison, attempts: 3 } } });
    await until(async () => (await statusOf(poison)) === 'processed', 'the retried delivery to be processed');

    const { rows: activities } = await db.query(`SELECT count(*)::int AS n FROM activity WHERE type = 'issue_opened'`);
    expect(activities).toEqual([{ n: others.length + 2 }]); // each delivery once, the retried one included
    const { rows: [after] } = await db.query(`SELECT error FROM webhook_delivery WHERE delivery_id = $1`, [poison]);
    expect(after.error).toBeNull();
    expect((await graphql(FAILED_JOBS, { queue: 'WEBHOOKS' }, adminToken)).data!.failedJobs).toEqual([]);
    // a job that is no longer failed is not retried again; an unknown one is not found
    expect((await graphql(RETRY, { queue: 'WEBHOOKS', jobId }, adminToken)).errors?.[0].extensions?.code).toBe('CONFLICT');
    expect((await graphql(RETRY, { queue: 'WEBHOOKS', jobId: 'delivery-0-0000000000000000' }, adminToken)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await graphql(RETRY, { queue: 'WEBHOOKS', jobId }, undefined)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  }, 300_000);
});
