import { jest } from '@jest/globals';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, Worker } from 'bullmq';
import pg from 'pg';
import { DeliveryRelayService, FAILED_JOB_GRACE_SECONDS, processDeliveryJob, signWebhookBody } from '#libs/github';
import { QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const require = createRequire(import.meta.url);
const examples: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action?: string) =>
  structuredClone(examples.find((e) => e.name === event)!.examples.find((x) => action === undefined || x.action === action));

const SECRET = 's3cr3t';
// W1 (shared/cases/webhooks.md): the raw body, escapes exactly as sent.
const W1_BODY = String.raw`{"action":"created","comment":{"body":"done \u001B[32mOK\u001b[0m \u2665 and a literal \\u0041"}}`;
const MB = 1024 * 1024;

/** POSTs with node:http and resolves with the status, even when the server answers before the body is sent. */
function rawPost(target: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(target, { method: 'POST', headers });
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    req.end(body);
  });
}

interface Post {
  body: string | Buffer;
  event?: string;
  delivery?: string;
  signature?: string | null;
  contentType?: string;
  headers?: Record<string, string>;
}

describe('POST /webhooks/github: acknowledgement path (W1, W2)', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let url: string;
  let db: pg.Client;

  beforeAll(async () => {
    env = await createTestEnv();
    // the tests run the relay's passes themselves (relayPending); its timer would re-enqueue their rows
    // between a test's steps
    env.apply({ GITHUB_WEBHOOK_SECRETS: `rotated-out-soon,${SECRET}`, WEBHOOK_RELAY_EVERY_SECONDS: '3600' });
    app = await createApiApp({ logger: false });
    // another route, registered like any route: it must keep the app-wide 1 MB limit
    app.getHttpAdapter().getInstance().post('/test-echo', async (request) => ({ keys: Object.keys(request.body as object) }));
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await app?.close();
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await env?.teardown();
  });

  const post = async ({ body, event = 'issue_comment', delivery = randomUUID(), signature, contentType = 'application/json', headers = {} }: Post) => {
    const response = await fetch(`${url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-github-hook-id': '42',
        ...(signature === null ? {} : { 'x-hub-signature-256': signature ?? signWebhookBody(body, SECRET) }),
        ...headers,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown>, delivery };
  };
  const rowCount = async (deliveryId?: string) =>
    Number(
      (
        await db.query(`SELECT count(*) FROM webhook_delivery ${deliveryId ? 'WHERE delivery_id = $1' : ''}`, deliveryId ? [deliveryId] : [])
      ).rows[0].count,
    );

  it('W1: accepts the exact bytes signed with the secret, storing the payload as sent', async () => {
    const result = await post({ body: W1_BODY });
    expect(result).toMatchObject({ status: 202, body: { delivery: result.delivery, status: 'queued' } });
    const { rows } = await db.query(`SELECT event, action, hook_id, status, payload FROM webhook_delivery WHERE delivery_id = $1`, [result.delivery]);
    expect(rows).toEqual([
      { event: 'issue_comment', action: 'created', hook_id: '42', status: 'received', payload: JSON.parse(W1_BODY) },
    ]);
  });

  it('W1: refuses one byte changed under the old signature with 401 and stores nothing', async () => {
    const before = await rowCount();
    const tampered = W1_BODY.replace('done', 'dome');
    const result = await post({ body: tampered, signature: signWebhookBody(W1_BODY, SECRET) });
    expect(result.status).toBe(401);
    expect(result.body.message).toMatch(/X-Hub-Signature-256 does not match/);
    const broken = await post({ body: W1_BODY.replace('{', 'x'), signature: signWebhookBody(W1_BODY, SECRET) });
    expect(broken.status).toBe(401); // not a 400 for the invalid JSON: nothing is parsed before verification
    expect(await rowCount()).toBe(before);
  });

  it('answers 401 naming the missing signature header and stores nothing', async () => {
    const result = await post({ body: W1_BODY, signature: null });
    expect(result).toMatchObject({ status: 401, body: { message: 'Missing X-Hub-Signature-256 header' } });
    expect(await rowCount(result.delivery)).toBe(0);
  });

  it('accepts a delivery signed with any configured secret (rotation)', async () => {
    const result = await post({ body: W1_BODY, signature: signWebhookBody(W1_BODY, 'rotated-out-soon') });
    expect(result.status).toBe(202);
  });

  it.each([
    ['X-GitHub-Event', { 'x-github-event': '' }],
    ['X-GitHub-Delivery', { 'x-github-delivery': '' }],
  ])('answers 400 naming a missing %s header and stores nothing', async (name, headers) => {
    const before = await rowCount();
    const result = await post({ body: W1_BODY, headers });
    expect(result).toMatchObject({ status: 400, body: { message: `Missing ${name} header` } });
    expect(await rowCount()).toBe(before);
  });

  it('answers 400 for invalid JSON under a valid signature and stores nothing', async () => {
    const result = await post({ body: '{"action": "created",' });
    expect(result.status).toBe(400);
    expect(result.body.message).toMatch(/^Payload is not valid JSON/);
    expect(await rowCount(result.delivery)).toBe(0);
  });

  it('stores a payload holding \u0000 (valid JSON that jsonb would refuse) exactly as sent', async () => {
    const body = String.raw`{"action":"created","comment":{"id":1,"body":"a\u0000b"}}`;
    const result = await post({ body });
    expect(result.status).toBe(202);
    const { rows } = await db.query(`SELECT payload::text AS text FROM webhook_delivery WHERE delivery_id = $1`, [result.delivery]);
    expect(rows[0].text).toBe(body);
  });

  it('W3: concurrent posts sharing one insert batch: one 202 per delivery id, duplicates 200, a payload Postgres refuses fails alone', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    // valid JSON that Node parses but Postgres refuses (nested deeper than its max_stack_depth)
    const deep = `{"action":"created","comment":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
    const results = await Promise.all([
      ...ids.map((delivery) => post({ body: W1_BODY, delivery })),
      ...ids.map((delivery) => post({ body: W1_BODY, delivery })),
      post({ body: deep }),
    ]);
    const statuses = new Map<string, number[]>();
    for (const result of results) statuses.set(result.delivery, [...(statuses.get(result.delivery) ?? []), result.status].sort());
    for (const delivery of ids) expect(statuses.get(delivery)).toEqual([200, 202]);
    expect(results.at(-1)?.status).toBe(400); // refused for what it holds: INVALID_PAYLOAD, not an outage
    for (const delivery of ids) expect(await rowCount(delivery)).toBe(1);
    expect(await rowCount(results.at(-1)!.delivery)).toBe(0);
  });

  it('gives each job of a shared enqueue batch the request id of the request that stored its delivery', async () => {
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    try {
      const posts = Array.from({ length: 20 }, () => ({ delivery: randomUUID(), requestId: `req-${randomUUID()}` }));
      const results = await Promise.all(posts.map(({ delivery, requestId }) => post({ body: W1_BODY, delivery, headers: { 'x-request-id': requestId } })));
      expect(results.map((result) => result.body.status)).toEqual(posts.map(() => 'queued'));
      for (const { delivery, requestId } of posts) {
        const { rows } = await db.query(`SELECT id FROM webhook_delivery WHERE delivery_id = $1`, [delivery]);
        const rowId = String(rows[0].id);
        const job = await queue.getJob(processDeliveryJob({ rowId, deliveryId: delivery }).opts.jobId!);
        expect(job?.data).toEqual({ deliveryRowId: rowId, requestId });
      }
    } finally {
      await queue.close();
    }
  });

  it('answers 400 INVALID_PAYLOAD, storing nothing, for a lone payload Postgres refuses', async () => {
    const deep = `{"action":"opened","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const result = await post({ body: deep });
    expect(result.status).toBe(400);
    expect(await rowCount(result.delivery)).toBe(0);
  });

  describe('W2: raw body with a raised size limit', () => {
    const commit = examples.find((e) => e.name === 'push')!.examples.find((x) => x.commits.length > 0).commits[0];
    const bigPush = () => {
      const payload = example('push');
      payload.commits = [];
      for (let index = 0, size = 0; size < 3 * MB; index++) {
        const next = { ...commit, id: index.toString(16).padStart(40, '0'), message: `Commit ${index} \u2665 ${'x'.repeat(2000)}` };
        payload.commits.push(next);
        size += JSON.stringify(next).length;
      }
      return JSON.stringify(payload);
    };

    it('W2: verifies a 3 MB JSON push over its raw bytes', async () => {
      const body = bigPush();
      expect(Buffer.byteLength(body)).toBeGreaterThan(3 * MB);
      const result = await post({ body, event: 'push' });
      expect(result.status).toBe(202);
      const { rows } = await db.query(`SELECT json_array_length(payload->'commits') AS commits FROM webhook_delivery WHERE delivery_id = $1`, [result.delivery]);
      expect(rows[0].commits).toBe(JSON.parse(body).commits.length);
    });

    it('W2: verifies the same push form-encoded over the form bytes and decodes its payload field', async () => {
      const json = bigPush();
      const form = `payload=${encodeURIComponent(json)}`;
      const result = await post({ body: form, event: 'push', contentType: 'application/x-www-form-urlencoded' });
      expect(result.status).toBe(202);
      const { rows } = await db.query(`SELECT payload FROM webhook_delivery WHERE delivery_id = $1`, [result.delivery]);
      expect(rows[0].payload).toEqual(JSON.parse(json));
      const signedOverJson = await post({
        body: form,
        event: 'push',
        contentType: 'application/x-www-form-urlencoded',
        signature: signWebhookBody(json, SECRET),
      });
      expect(signedOverJson.status).toBe(401);
    });

    it('W2: answers 413 to a 30 MB body before processing it, and stores nothing', async () => {
      const before = await rowCount();
      const body = Buffer.alloc(30 * MB, 'a');
      const status = await rawPost(`${url}/webhooks/github`, body, {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': signWebhookBody(body, SECRET),
      });
      expect(status).toBe(413);
      expect(await rowCount()).toBe(before);
    });

    it('W2: answers 413 over real HTTP when Content-Length announces more than 25 MB', async () => {
      // announce 30 MB, send a few bytes: the answer must come from the header alone
      const status = await rawPost(`${url}/webhooks/github`, Buffer.from('{"a":'), {
        'content-type': 'application/json',
        'content-length': String(30 * MB),
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
      });
      expect(status).toBe(413);
    });

    it('W2: other routes (GraphQL, any other) keep the 1 MB limit and their JSON and form parsing', async () => {
      const small = await fetch(`${url}/test-echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
      expect(await small.json()).toEqual({ keys: ['a'] });
      const large = await fetch(`${url}/test-echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ a: 'x'.repeat(2 * MB) }),
      });
      expect(large.status).toBe(413);
      const graphql = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ __typename }`, padding: 'x'.repeat(2 * MB) }),
      });
      expect(graphql.status).toBe(413);
      const form = await fetch(`${url}/test-echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1&b=2',
      });
      expect(await form.json()).toEqual({ keys: ['a', 'b'] });
    });
  });

  it('keeps a delivery and acknowledges it when Redis is unreachable; the relay of an api with Redis enqueues it', async () => {
    // the outage is deliberate: BullMQ prints each refused connection of a queue created
    // before its error listener; keep those lines out of the test output
    const consoleError = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      if (!String((args[0] as Error | undefined)?.message ?? args[0]).includes('ECONNREFUSED 127.0.0.1:1')) {
        process.stderr.write(`${args.map(String).join(' ')}\n`);
      }
    });
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET, REDIS_URL: 'redis://127.0.0.1:1' });
    const offline = await createApiApp({ logger: false });
    await offline.listen(0, '127.0.0.1');
    const offlineUrl = await offline.getUrl();
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET });
    try {
      const payload = JSON.stringify(example('issues', 'opened'));
      const delivery = randomUUID();
      const response = await fetch(`${offlineUrl}/webhooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': delivery,
          'x-hub-signature-256': signWebhookBody(payload, SECRET),
        },
        body: payload,
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ delivery, status: 'stored' }); // stored, the job not yet queued
      const { rows } = await db.query(`SELECT id, status FROM webhook_delivery WHERE delivery_id = $1`, [delivery]);
      expect(rows).toEqual([{ id: expect.any(String), status: 'received' }]);

      const relay = app.get(DeliveryRelayService); // the app with a reachable Redis
      await db.query(`UPDATE webhook_delivery SET received_at = now() - interval '1 hour' WHERE id = $1`, [rows[0].id]);
      const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
      try {
        const jobId = processDeliveryJob({ rowId: rows[0].id, deliveryId: delivery }).opts.jobId!;
        // a pass of the app's own timer may hold the relay lock at that moment; then the next call relays
        for (let pass = 0; pass < 50 && !(await queue.getJob(jobId)); pass += 1) {
          await relay.relayPending();
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const job = await queue.getJob(jobId);
        expect(job?.data).toEqual({ deliveryRowId: rows[0].id });
      } finally {
        await queue.close();
      }
    } finally {
      await offline.close();
      consoleError.mockRestore();
    }
  });

  /**
   * A `received` delivery row (received an hour ago) whose job has just failed its last attempt with
   * `reason`: taken by a worker of this test's own and moved to the failed list. The caller closes
   * `queue` and `worker`.
   *
   * The row is stored with a receipt time in the future until its job has failed: the app's own relay
   * timer enqueues `received` rows older than a few seconds, and had it enqueued this one first (with
   * the default attempts), the job added here would be that one, and its failure a retry.
   */
  const storedDeliveryWithFailedJob = async (reason: string) => {
    const delivery = randomUUID();
    const [row] = (
      await db.query(
        `INSERT INTO webhook_delivery (delivery_id, event, payload, received_at) VALUES ($1, 'issues', '{}', now() + interval '1 hour') RETURNING id`,
        [delivery],
      )
    ).rows;
    const connection = redisConnectionOptions(TEST_REDIS_URL);
    const queue = new Queue(QueueName.Webhooks, { connection, prefix: env.queuePrefix });
    const worker = new Worker(QueueName.Webhooks, null, { connection, prefix: env.queuePrefix, autorun: false });
    await queue.drain(); // nothing else waiting: the next job this worker takes is ours
    const job = processDeliveryJob({ rowId: row.id, deliveryId: delivery }, { attempts: 1, backoffMs: 1000 });
    await queue.add('process-delivery', job.data, job.opts);
    const taken = await worker.getNextJob('lock-token');
    expect(taken?.id).toBe(job.opts.jobId);
    await taken!.moveToFailed(new Error(reason), 'lock-token', true);
    await db.query(`UPDATE webhook_delivery SET received_at = now() - interval '1 hour' WHERE id = $1`, [row.id]);
    return { row: row as { id: string }, job, queue, worker };
  };

  it("retries the failed job of a delivery that is `received` again (a redelivery whose job's last attempt failed after it), attempts reset", async () => {
    const { job, queue, worker } = await storedDeliveryWithFailedJob('last attempt failed');
    try {
      expect(await queue.getJobState(job.opts.jobId!)).toBe('failed');
      // it failed longer ago than the failed handler of its worker needs (that worker died)
      await failedSince(queue, job.opts.jobId!, FAILED_JOB_GRACE_SECONDS + 60);

      const relay = app.get(DeliveryRelayService);
      // a pass of the app's own timer may hold the relay lock at that moment; then the next call relays
      for (let pass = 0; pass < 50 && (await queue.getJobState(job.opts.jobId!)) === 'failed'; pass += 1) {
        await relay.relayPending();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await queue.getJobState(job.opts.jobId!)).toBe('waiting');
      expect((await queue.getJob(job.opts.jobId!))?.attemptsMade).toBe(0);
      await relay.relayPending(); // waiting: nothing more to do
      expect(await queue.getJobState(job.opts.jobId!)).toBe('waiting');
    } finally {
      await worker.close();
      await queue.close();
    }
  });

  it('leaves a job that has just failed for good to its worker\'s failed handler: no new round of attempts for it', async () => {
    // BullMQ fails a job that stalled too often (it killed its workers); the row is still `received`
    // until the worker's failed handler marks it `failed`, a moment later
    const { row, job, queue, worker } = await storedDeliveryWithFailedJob('job stalled more than allowable limit');
    try {

      const relay = app.get(DeliveryRelayService);
      for (let pass = 0; pass < 5; pass += 1) {
        await relay.relayPending();
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await queue.getJobState(job.opts.jobId!)).toBe('failed');

      // the handler has marked the row: later passes leave the job failed for good
      await db.query(`UPDATE webhook_delivery SET status = 'failed', error = 'job failed without processing' WHERE id = $1`, [row.id]);
      await failedSince(queue, job.opts.jobId!, FAILED_JOB_GRACE_SECONDS + 60);
      for (let pass = 0; pass < 3; pass += 1) await relay.relayPending();
      expect(await queue.getJobState(job.opts.jobId!)).toBe('failed');
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});

/** Moves the failure of `jobId` (its score in the queue's failed list: when it failed, ms) `seconds` back. */
async function failedSince(queue: Queue, jobId: string, seconds: number): Promise<void> {
  const client = (await queue.backend.client) as unknown as { zadd(key: string, mode: 'XX', score: number, member: string): Promise<unknown> };
  await client.zadd(queue.toKey('failed'), 'XX', Date.now() - seconds * 1000, jobId);
}
