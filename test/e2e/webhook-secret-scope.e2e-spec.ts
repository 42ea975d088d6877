import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingService, GithubCredentialService, signWebhookBody } from '#libs/github';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action?: string) =>
  structuredClone(definitions.find((d) => d.name === event)!.examples.find((x) => (action === undefined || x.action === action) && (event !== 'push' || x.commits.length)));

const ENV_SECRET = 'environment-webhook-secret';
const RWKV_SECRET = `rwkv-webhook-secret-${randomBytes(12).toString('hex')}`;
const OTHER_SECRET = `other-webhook-secret-${randomBytes(12).toString('hex')}`;

/** rwkv's repository found by its tracked organisation; rwkv's repository by `repository.ecosystem_id`; other's; one nobody knows. */
const RWKV_TRACKED = { id: 7001, owner: 'rwkv-org', name: 'core' };
const RWKV_OWNED = { id: 7002, owner: 'rwkv-org', name: 'owned' };
const OTHER_REPO = { id: 8001, owner: 'other-org', name: 'lib' };
const UNKNOWN_REPO = { id: 9001, owner: 'rwkv-org', name: 'brand-new' };

type Repo = typeof RWKV_TRACKED;

/** The worker side of the app: config, database, queues and the webhooks processor only. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksProcessorModule] })
class WebhooksWorkerModule {}

describe('webhook secrets tied to their ecosystem (issue 8): a stored secret writes only for its own repositories', () => {
  let env: TestEnv;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let url: string;
  let db: pg.Client;
  let ids: Record<string, number>;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ GITHUB_WEBHOOK_SECRETS: ENV_SECRET });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    url = await api.getUrl();
    worker = await NestFactory.createApplicationContext(WebhooksWorkerModule, { logger: false, abortOnError: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
    await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('rwkv', 'RWKV'), ('other', 'Other')`);
    ids = Object.fromEntries((await db.query(`SELECT slug, id FROM ecosystem`)).rows.map((row) => [row.slug, row.id]));
    for (const [repo, ecosystemId] of [[RWKV_TRACKED, null], [RWKV_OWNED, ids.rwkv], [OTHER_REPO, null]] as const) {
      await db.query(`INSERT INTO repository (id, ecosystem_id, owner, name, full_name) VALUES ($1, $2, $3, $4, $3 || '/' || $4)`, [
        repo.id,
        ecosystemId,
        repo.owner,
        repo.name,
      ]);
    }
    const link = async (ecosystemId: number, kind: string, name: string, repositoryId: number) => {
      const [source] = (await db.query(`INSERT INTO tracked_source (ecosystem_id, kind, name) VALUES ($1, $2, $3) RETURNING id`, [ecosystemId, kind, name])).rows;
      await db.query(`INSERT INTO tracked_source_repository (tracked_source_id, repository_id) VALUES ($1, $2)`, [source.id, repositoryId]);
    };
    await link(ids.rwkv, 'organization', 'rwkv-org', RWKV_TRACKED.id);
    await link(ids.other, 'repository', 'other-org/lib', OTHER_REPO.id);
    const credentials = api.get(GithubCredentialService, { strict: false });
    await credentials.addWebhookSecret('rwkv', RWKV_SECRET, null);
    await credentials.addWebhookSecret('other', OTHER_SECRET, null);
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await env?.teardown();
  });

  const post = async (event: string, payload: unknown, secret: string, delivery = randomUUID()) => {
    const body = JSON.stringify(payload);
    const response = await fetch(`${url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-github-hook-id': '1',
        'x-hub-signature-256': signWebhookBody(body, secret),
      },
      body,
    });
    return { status: response.status, delivery };
  };

  /** Polls until the delivery has left `received` (bounded; no wall-clock assertion); returns its row. */
  const settled = async (deliveryId: string, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await db.query(
        `SELECT id::text AS id, status, error, attempts, verified_by_ecosystem_id FROM webhook_delivery WHERE delivery_id = $1`,
        [deliveryId],
      );
      if (rows[0] && rows[0].status !== 'received') return rows[0];
      if (Date.now() > deadline) throw new Error(`delivery ${deliveryId} not processed in time: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  /** Everything a delivery could write, besides its own row. */
  const snapshot = async () => {
    const query = async (sql: string) => (await db.query(sql)).rows;
    return {
      activities: await query(`SELECT type, source_key, repository_id, member_id, removed_at FROM activity ORDER BY source_key`),
      repositories: await query(`SELECT id, ecosystem_id, owner, name, full_name, stargazers_count, pushed_at, updated_at FROM repository ORDER BY id`),
      pullRequests: await query(`SELECT * FROM pull_request ORDER BY id`),
      issues: await query(`SELECT * FROM issue ORDER BY id`),
      commits: await query(`SELECT * FROM git_commit ORDER BY sha`),
      links: await query(`SELECT * FROM git_commit_repository ORDER BY sha, repository_id`),
      accounts: await query(`SELECT id, login FROM github_account ORDER BY id`),
      members: await query(`SELECT id, kind, login FROM member ORDER BY id`),
      identities: await query(`SELECT platform, key, member_id FROM identity ORDER BY platform, key`),
    };
  };

  const repositoryFields = (repo: Repo) => ({ id: repo.id, name: repo.name, full_name: `${repo.owner}/${repo.name}`, owner: { login: repo.owner, id: 50_000 + repo.id, type: 'Organization' } });
  /** A `star` `created` on `repo` by account `senderId`. */
  const star = (repo: Repo, senderId: number) => {
    const payload = example('star', 'created');
    Object.assign(payload.repository, repositoryFields(repo));
    payload.sender = { ...payload.sender, login: `starrer-${senderId}`, id: senderId };
    return payload;
  };
  /** A `push` of one new commit to `repo` (by a new commit author). */
  const push = (repo: Repo, sha: string) => {
    const payload = example('push');
    Object.assign(payload.repository, repositoryFields(repo));
    payload.commits = [{ ...payload.commits[0], id: sha, distinct: true, author: { name: `Author ${sha.slice(0, 6)}`, email: `${sha.slice(0, 6)}@forge.example`, username: `forger-${sha.slice(0, 6)}` } }];
    payload.head_commit = payload.commits[0];
    return payload;
  };
  /** An `issues` `opened` on `repo` by a new account. */
  const issue = (repo: Repo, issueId: number) => {
    const payload = example('issues', 'opened');
    Object.assign(payload.repository, repositoryFields(repo));
    payload.issue = { ...payload.issue, id: issueId, number: issueId % 1000, user: { login: `issuer-${issueId}`, id: issueId, type: 'User' } };
    payload.sender = payload.issue.user;
    return payload;
  };

  it("processes a delivery signed with rwkv's secret for rwkv's repositories (by tracked source and by ecosystem_id), recording rwkv", async () => {
    for (const repo of [RWKV_TRACKED, RWKV_OWNED]) {
      const { status, delivery } = await post('star', star(repo, 601), RWKV_SECRET);
      expect(status).toBe(202);
      expect(await settled(delivery)).toMatchObject({ status: 'processed', error: null, verified_by_ecosystem_id: ids.rwkv });
    }
    const { rows } = await db.query(`SELECT source_key FROM activity WHERE source_key = ANY($1) ORDER BY source_key`, [
      [`star:${RWKV_TRACKED.id}:601`, `star:${RWKV_OWNED.id}:601`],
    ]);
    expect(rows).toHaveLength(2);
  });

  it("refuses deliveries signed with rwkv's secret for other's repository or one not known yet, naming the problem and writing nothing", async () => {
    const before = await snapshot();
    const cases: Array<[string, unknown, Repo]> = [
      ['star', star(OTHER_REPO, 602), OTHER_REPO],
      ['push', push(OTHER_REPO, 'f'.repeat(40)), OTHER_REPO],
      ['issues', issue(OTHER_REPO, 880_001), OTHER_REPO],
      ['star', star(UNKNOWN_REPO, 603), UNKNOWN_REPO],
      ['repository', { ...example('repository', 'renamed'), repository: { ...example('repository', 'renamed').repository, ...repositoryFields(OTHER_REPO), name: 'taken' } }, OTHER_REPO],
    ];
    for (const [event, payload, repo] of cases) {
      const { status, delivery } = await post(event, payload, RWKV_SECRET);
      expect(status).toBe(202);
      const row = await settled(delivery);
      const known = repo === UNKNOWN_REPO ? ', not yet known to Cambrian' : '';
      expect([event, row.status, row.attempts, row.verified_by_ecosystem_id]).toEqual([event, 'ignored', 1, ids.rwkv]);
      expect(row.error).toBe(
        `signed with ecosystem rwkv's secret, but repository ${repo.owner}/${repo.name} (id ${repo.id}${known}) is not tracked by rwkv; nothing was written`,
      );
    }
    expect(await snapshot()).toEqual(before);
  });

  it('processes deliveries signed with the environment secret for any repository (other\'s, one not known yet), recording no ecosystem', async () => {
    for (const [payload, repo] of [[star(OTHER_REPO, 604), OTHER_REPO], [star(UNKNOWN_REPO, 604), UNKNOWN_REPO]] as const) {
      const { delivery } = await post('star', payload, ENV_SECRET);
      expect(await settled(delivery)).toMatchObject({ status: 'processed', error: null, verified_by_ecosystem_id: null });
      const { rows } = await db.query(`SELECT 1 FROM activity WHERE source_key = $1`, [`star:${repo.id}:604`]);
      expect(rows).toHaveLength(1);
    }
  });

  it("processes other's secret for other's repository, and refuses it for rwkv's", async () => {
    const own = await post('star', star(OTHER_REPO, 605), OTHER_SECRET);
    expect(await settled(own.delivery)).toMatchObject({ status: 'processed', verified_by_ecosystem_id: ids.other });
    const foreign = await post('star', star(RWKV_TRACKED, 605), OTHER_SECRET);
    expect(await settled(foreign.delivery)).toMatchObject({
      status: 'ignored',
      error: `signed with ecosystem other's secret, but repository rwkv-org/core (id ${RWKV_TRACKED.id}) is not tracked by other; nothing was written`,
    });
    const { rows } = await db.query(`SELECT source_key FROM activity WHERE source_key LIKE 'star:%:605' ORDER BY source_key`);
    expect(rows.map((row) => row.source_key)).toEqual([`star:${OTHER_REPO.id}:605`]);
  });

  it('a refused delivery replayed (the same delivery id posted again, its job run again) changes nothing', async () => {
    const payload = push(OTHER_REPO, 'e'.repeat(40));
    const first = await post('push', payload, RWKV_SECRET);
    const refused = await settled(first.delivery);
    expect(refused.status).toBe('ignored');
    const before = await snapshot();
    const rowBefore = (await db.query(`SELECT * FROM webhook_delivery WHERE id = $1`, [refused.id])).rows[0];

    const again = await post('push', payload, RWKV_SECRET, first.delivery);
    expect(again.status).toBe(200);
    const processing = worker.get(DeliveryProcessingService, { strict: false });
    expect(await processing.process(refused.id, { finalAttempt: true })).toEqual({ status: 'already-done', activitiesInserted: 0 });

    expect(await snapshot()).toEqual(before);
    expect((await db.query(`SELECT * FROM webhook_delivery WHERE id = $1`, [refused.id])).rows[0]).toEqual(rowBefore);
    expect((await db.query(`SELECT count(*)::int AS n FROM webhook_delivery WHERE delivery_id = $1`, [first.delivery])).rows[0].n).toBe(1);
  });
});
