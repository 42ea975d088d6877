import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ApiTokenService, CSRF_HEADER, csrfTokenFor, SessionService } from '#libs/auth';
import { CAMBRIAN_CONFIG, ConfigModule, type CambrianConfig } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { signWebhookBody } from '#libs/github';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { SESSION_COOKIE } from '../../apps/api/src/auth/auth-cookies.js';
import { QUEUE_BOARD_PATH } from '../../apps/api/src/queues/queue-board.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { createMember } from '../helpers/factories.js';
import { until } from '../helpers/local-servers.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';
import { GraphqlClient } from './graphql-client.js';

const require = createRequire(import.meta.url);
const examples: Array<{ name: string; examples: Array<Record<string, any>> }> = require('@octokit/webhooks-examples');

const SECRET = 'operations-e2e-secret';

/** An `issues` `opened` payload (GitHub's example) about issue `number`, with an issue id of its own. */
function issueOpened(number: number): Record<string, any> {
  const payload = structuredClone(examples.find((e) => e.name === 'issues')!.examples.find((x) => x.action === 'opened')!);
  payload.issue.number = number;
  payload.issue.id = 7_000_000 + (number % 1_000_000);
  payload.issue.node_id = `I_operations_${number}`;
  return payload;
}

const DELIVERIES = `query($first: Int, $after: String, $status: WebhookDeliveryStatus) {
  webhookDeliveries(first: $first, after: $after, status: $status) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id deliveryId event action status attempts error receivedAt processedAt } }
  }
}`;
const REDELIVER = `mutation($id: ID!) { redeliverWebhookDelivery(id: $id) { outcome delivery { id status attempts error } } }`;
const AUDIT = `query($filter: AuditEventFilter) { auditEvents(filter: $filter, first: 10) { edges { node { operation targetType targetId status before actor } } } }`;

/** The worker side: config, database, queues and the webhooks processor only. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksProcessorModule] })
class WebhooksWorkerModule {}

describe('operations for admins: stored webhook deliveries (list, redeliver) and the queue dashboard', () => {
  let env: TestEnv;
  let app: NestFastifyApplication;
  let worker: INestApplicationContext;
  let client: GraphqlClient;
  let base: string;
  let db: pg.Pool;
  let admin: { token: string; id: string };
  let readOnlyAdmin: string;
  let adminCookie: string;
  let memberCookie: string;
  /** The member session's CSRF token (without it a session's mutation is refused before any role check). */
  let memberCsrf: string;

  const post = async (delivery: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const response = await fetch(`${base}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': delivery,
        'x-hub-signature-256': signWebhookBody(body, SECRET),
      },
      body,
    });
    expect(response.status).toBe(202);
  };
  const row = async (delivery: string) =>
    (await db.query(`SELECT id::text AS id, status, attempts, error FROM webhook_delivery WHERE delivery_id = $1`, [delivery])).rows[0] as
      | { id: string; status: string; attempts: number; error: string | null }
      | undefined;
  /** `issue_opened` activities stored so far (each test's delivery opens one issue). */
  const issuesOpened = async () => (await db.query(`SELECT count(*)::int AS n FROM activity WHERE type = 'issue_opened'`)).rows[0].n as number;

  beforeAll(async () => {
    env = await createTestEnv();
    // one attempt: a failing delivery is `failed` (and its job in the failed list) at once
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET, WEBHOOK_JOB_ATTEMPTS: '1', WEBHOOK_JOB_BACKOFF_MS: '50' });
    app = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(app);
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    worker = await NestFactory.createApplicationContext(WebhooksWorkerModule, { logger: false, abortOnError: false });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    const tokens = app.get(ApiTokenService, { strict: false });
    const created = await tokens.create({ name: 'operations e2e admin', role: 'admin' });
    admin = { token: created.secret, id: created.token.id };
    readOnlyAdmin = (await tokens.create({ name: 'operations e2e reader', role: 'admin', scopes: ['read'] })).secret;
    const sessions = app.get(SessionService, { strict: false });
    const organiser = await createMember(db, { login: 'ops-admin' });
    const member = await createMember(db, { login: 'ops-member' });
    const session = (m: typeof member, login: string, role: 'admin' | 'member') =>
      sessions.create({ memberId: m.memberId, githubAccountId: m.githubAccountId!, githubLogin: login, role, ttlSeconds: 3600 });
    adminCookie = `${SESSION_COOKIE}=${(await session(organiser, 'ops-admin', 'admin')).secret}`;
    const memberSecret = (await session(member, 'ops-member', 'member')).secret;
    memberCookie = `${SESSION_COOKIE}=${memberSecret}`;
    memberCsrf = csrfTokenFor(memberSecret, app.get<CambrianConfig>(CAMBRIAN_CONFIG).AUTH_SECRET);
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await db?.end();
    if (env) {
      const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await env?.teardown();
  });

  describe('webhookDeliveries and redeliverWebhookDelivery', () => {
    it('redelivers a failed delivery after a fix: it is processed once, however often it is redelivered', async () => {
      const poison = randomUUID();
      // an issue number beyond Postgres' integer: stored, but writing its issue row fails
      await post(poison, issueOpened(2 ** 40));
      await until(async () => (await row(poison))?.status === 'failed', 'the poison delivery to fail');
      const failed = (await row(poison))!;
      expect(failed).toMatchObject({ attempts: 1, error: expect.stringContaining('out of range') });

      const listed = (await client.data(DELIVERIES, { status: 'FAILED', first: 10 }, admin)).webhookDeliveries;
      expect(listed.totalCount).toBe(1);
      expect(listed.edges.map((edge: any) => edge.node)).toEqual([
        {
          id: failed.id,
          deliveryId: poison,
          event: 'issues',
          action: 'opened',
          status: 'FAILED',
          attempts: 1,
          error: failed.error,
          receivedAt: expect.any(String),
          processedAt: null,
        },
      ]);

      // the fix (a deployed normaliser fix would do the same for the original payload)
      await db.query(`UPDATE webhook_delivery SET payload = $2::json WHERE delivery_id = $1`, [poison, JSON.stringify(issueOpened(4242))]);
      // two admins press "redeliver" at once: one job
      const answers = await Promise.all([client.data(REDELIVER, { id: failed.id }, admin), client.data(REDELIVER, { id: failed.id }, admin)]);
      // the first answer queues it; the worker may claim it (attempts 2) or even finish it before the second answer is
      // read, which then finds it processed: either way, one job and one processing
      const outcomes = answers.map((answer) => answer.redeliverWebhookDelivery.outcome).sort();
      expect([['QUEUED', 'QUEUED'], ['ALREADY_DONE', 'QUEUED']]).toContainEqual(outcomes);
      const queued = answers.find((answer) => answer.redeliverWebhookDelivery.outcome === 'QUEUED')!.redeliverWebhookDelivery.delivery;
      expect(queued).toMatchObject({ id: failed.id, status: 'RECEIVED' });
      expect([1, 2]).toContain(queued.attempts);
      await until(async () => (await row(poison))?.status === 'processed', 'the redelivered delivery to be processed');
      expect(await row(poison)).toMatchObject({ status: 'processed', attempts: 2, error: null });
      expect(await issuesOpened()).toBe(1);

      // once processed, a redelivery changes nothing
      const again = (await client.data(REDELIVER, { id: failed.id }, admin)).redeliverWebhookDelivery;
      expect(again).toEqual({ outcome: 'ALREADY_DONE', delivery: { id: failed.id, status: 'PROCESSED', attempts: 2, error: null } });
      const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
      try {
        expect(await queue.getJobCounts('waiting', 'delayed', 'active', 'failed')).toEqual({ waiting: 0, delayed: 0, active: 0, failed: 0 });
      } finally {
        await queue.close();
      }
      expect(await row(poison)).toMatchObject({ status: 'processed', attempts: 2 });
      expect(await issuesOpened()).toBe(1);

      // the redeliveries are in the audit log, with the delivery as it was before
      const events = (await client.data(AUDIT, { filter: { operation: 'redeliverWebhookDelivery' } }, admin)).auditEvents.edges.map((edge: any) => edge.node);
      expect(events).toHaveLength(3);
      expect(events.every((event: any) => event.targetType === 'webhook-delivery' && event.targetId === failed.id && event.status === 'OK')).toBe(true);
      expect(JSON.parse(events.at(-1).before)).toMatchObject({ id: failed.id, deliveryId: poison, status: expect.stringMatching(/failed|received/) });
      expect(events.at(-1).before).not.toContain('payload');
    }, 180_000);

    it('redelivers a failed delivery whose job Redis no longer holds', async () => {
      const delivery = randomUUID();
      const {
        rows: [inserted],
      } = await db.query(
        `INSERT INTO webhook_delivery (delivery_id, event, action, payload, status, attempts, error)
         VALUES ($1, 'issues', 'opened', $2::json, 'failed', 6, 'an old failure') RETURNING id::text AS id`,
        [delivery, JSON.stringify(issueOpened(4343))],
      );
      const answer = (await client.data(REDELIVER, { id: inserted.id }, admin)).redeliverWebhookDelivery;
      expect(answer).toEqual({ outcome: 'QUEUED', delivery: { id: inserted.id, status: 'RECEIVED', attempts: 6, error: 'an old failure' } });
      await until(async () => (await row(delivery))?.status === 'processed', 'the redelivered delivery to be processed');
      expect(await row(delivery)).toMatchObject({ attempts: 7, error: null });
      expect(await issuesOpened()).toBe(2);
    }, 30_000);

    it('pages newest first and filters by status', async () => {
      const all = (await client.data(DELIVERIES, { first: 1 }, admin)).webhookDeliveries;
      expect(all.totalCount).toBe(2);
      expect(all.pageInfo.hasNextPage).toBe(true);
      const second = (await client.data(DELIVERIES, { first: 1, after: all.pageInfo.endCursor }, admin)).webhookDeliveries;
      expect(second.pageInfo.hasNextPage).toBe(false);
      expect(Number(all.edges[0].node.id)).toBeGreaterThan(Number(second.edges[0].node.id));
      expect((await client.data(DELIVERIES, { status: 'FAILED' }, admin)).webhookDeliveries).toMatchObject({ totalCount: 0, edges: [] });
      expect((await client.data(DELIVERIES, { status: 'PROCESSED' }, admin)).webhookDeliveries.totalCount).toBe(2);
    });

    it('answers NOT_FOUND for an unknown or malformed id', async () => {
      for (const id of ['999999999', 'nope']) {
        const answer = await client.request(REDELIVER, { id }, admin);
        expect(answer.errors?.[0].extensions?.code).toBe('NOT_FOUND');
        expect(answer.data ?? null).toBeNull();
      }
    });

    it('is for admins only: anonymous UNAUTHENTICATED, a signed-in member FORBIDDEN, a read-only token cannot redeliver', async () => {
      const { rows: [any] } = await db.query(`SELECT id::text AS id FROM webhook_delivery LIMIT 1`);
      expect((await client.request(DELIVERIES, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await client.request(REDELIVER, { id: any.id })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      const asMember = async (query: string, variables: Record<string, unknown>) => {
        const response = await fetch(`${base}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: memberCookie, [CSRF_HEADER]: memberCsrf },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
      };
      expect((await asMember(DELIVERIES, {})).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await asMember(REDELIVER, { id: any.id })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await client.request(REDELIVER, { id: any.id }, { token: readOnlyAdmin })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await client.data(DELIVERIES, { first: 1 }, { token: readOnlyAdmin })).webhookDeliveries.edges).toHaveLength(1);
    });
  });

  describe(`the queue dashboard at ${QUEUE_BOARD_PATH}`, () => {
    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${QUEUE_BOARD_PATH}${path}`, { headers, redirect: 'manual' });

    it('refuses anyone but an admin: 401 without credentials or with bad ones, 403 for a signed-in member', async () => {
      for (const path of ['', '/', '/?lng=zh-CN', '/api/queues', '/static/favicon-32x32.png', '/static/locales/zh-CN/messages.json']) {
        const anonymous = await get(path);
        expect([path, anonymous.status]).toEqual([path, 401]);
        expect(await anonymous.text()).toContain('for admins');
        expect([path, (await get(path, { cookie: memberCookie })).status]).toEqual([path, 403]);
      }
      expect((await get('/', { cookie: `${SESSION_COOKIE}=cms_${'x'.repeat(43)}` })).status).toBe(401);
      expect((await get('/', { authorization: 'Bearer nope' })).status).toBe(401);
      expect((await get('/', { authorization: 'Basic abc' })).status).toBe(401);
    });

    it('shows every queue of the project under the configured prefix to an admin token and an admin session', async () => {
      const adminCredentials: Array<Record<string, string>> = [{ authorization: `Bearer ${admin.token}` }, { cookie: adminCookie }];
      for (const credentials of adminCredentials) {
        const page = await get('/', credentials);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
        const csp = page.headers.get('content-security-policy')!;
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("base-uri 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        const html = await page.text();
        expect(html).toContain(`<base href="${QUEUE_BOARD_PATH}/"`);
        // every script the page loads is a file of its own (the CSP allows no inline script)
        const scripts = [...html.matchAll(/<script defer src="([^"]+)"/g)].map((match) => match[1]);
        expect(scripts.length).toBeGreaterThan(0);
        const script = await get(`/${scripts[0]}`, credentials);
        expect(script.status).toBe(200);
        expect(script.headers.get('content-type')).toContain('javascript');

        const api = await get('/api/queues', credentials);
        expect(api.status).toBe(200);
        const { queues } = (await api.json()) as { queues: Array<{ name: string }> };
        expect(queues.map((queue) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
      }
      // the board reads the queues under the test's own prefix: the webhook jobs of the tests above are there
      const webhooks = (await (await get(`/api/queues?activeQueue=${QueueName.Webhooks}&status=completed`, { authorization: `Bearer ${admin.token}` })).json()) as {
        queues: Array<{ name: string; counts: Record<string, number> }>;
      };
      expect(webhooks.queues.find((queue) => queue.name === QueueName.Webhooks)!.counts.completed).toBeGreaterThan(0);
    });

    it("serves the page in the console's language named by ?lng=, with bull-board's locale files", async () => {
      const credentials = { cookie: adminCookie };
      const config = async (path: string) => {
        const html = await (await get(path, credentials)).text();
        const block = /<script id="__UI_CONFIG__" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
        return { lang: /<html lang="([^"]*)"/.exec(html)![1], config: JSON.parse(block) as { boardTitle: string; locale?: { lng: string } } };
      };
      expect(await config('/?lng=zh-CN')).toEqual({ lang: 'zh-CN', config: expect.objectContaining({ boardTitle: 'Cambrian 队列', locale: { lng: 'zh-CN' } }) });
      expect(await config('/?lng=en')).toEqual({ lang: 'en-US', config: expect.objectContaining({ boardTitle: 'Cambrian queues', locale: { lng: 'en-US' } }) });
      // without a language (or an unknown one) bull-board picks it: its own setting, else the browser's
      expect((await config('/')).config.locale).toBeUndefined();
      expect((await config('/?lng=fr')).config.locale).toBeUndefined();
      // the page fetches its texts from the same origin (the CSP's connect-src 'self')
      const messages = await get('/static/locales/zh-CN/messages.json?v=9.10.1', credentials);
      expect(messages.status).toBe(200);
      expect(((await messages.json()) as { MENU: { OVERVIEW: string } }).MENU.OVERVIEW).toBe('概览');
      expect(messages.headers.get('content-security-policy')).toContain("connect-src 'self'");
    });

    it('lets only an admin with the write scope, from the dashboard itself, change a queue', async () => {
      const pause = (headers: Record<string, string>) => fetch(`${base}${QUEUE_BOARD_PATH}/api/queues/${QueueName.Digests}/pause`, { method: 'PUT', headers });
      const resume = (headers: Record<string, string>) => fetch(`${base}${QUEUE_BOARD_PATH}/api/queues/${QueueName.Digests}/resume`, { method: 'PUT', headers });
      expect((await pause({})).status).toBe(401);
      expect((await pause({ cookie: memberCookie, origin: base })).status).toBe(403);
      expect((await pause({ authorization: `Bearer ${readOnlyAdmin}` })).status).toBe(403);
      // a session cookie without this host's Origin (a cross-site form would carry it along)
      expect((await pause({ cookie: adminCookie })).status).toBe(403);
      expect((await pause({ cookie: adminCookie, origin: 'https://evil.example' })).status).toBe(403);
      expect((await pause({ cookie: adminCookie, origin: base })).status).toBe(200);
      expect((await resume({ authorization: `Bearer ${admin.token}` })).status).toBe(200);
    });
  });
});
