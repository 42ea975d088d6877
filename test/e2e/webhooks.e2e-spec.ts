import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DeliveryProcessingService, signWebhookBody } from '#libs/github';
import { QueueModule, QueueName, redisConnectionOptions } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const require = createRequire(import.meta.url);
const definitions: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples');
const example = (event: string, action?: string) =>
  structuredClone(
    definitions.find((d) => d.name === event)!.examples.find((x) => (action === undefined || x.action === action) && !x.issue?.pull_request && (event !== 'push' || x.commits.length)),
  );

const SECRET = 'e2e-secret';
const REPO = 186853002;
const SHA = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const I5_MESSAGE = [
  'Fix parser edge case',
  '',
  '    Co-authored-by: Eve Example <eve@example.com>',
  '',
  'Signed-off-by: Oak River <oak@river.example>',
  'Co-authored-by: Pat Partner <4243+pat-p@users.noreply.github.com>',
  'co-authored-by: Sam Second <sam@example.org>',
  'Co-authored-by: Oak River <oak@river.example>',
].join('\n');

/** The worker side of the app: config, database, queues and the webhooks processor only. */
@Module({ imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksProcessorModule] })
class WebhooksWorkerModule {}

describe('webhooks end to end: signed delivery over HTTP → stored → job → rows and activities', () => {
  let env: TestEnv;
  let api: NestFastifyApplication;
  let secondApi: NestFastifyApplication;
  let worker: INestApplicationContext;
  let urls: string[];
  let db: pg.Client;

  beforeAll(async () => {
    env = await createTestEnv();
    env.apply({ GITHUB_WEBHOOK_SECRETS: SECRET, WEBHOOK_WORKER_CONCURRENCY: '4' });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    secondApi = await createApiApp({ logger: false }); // a second api process on the same database
    await secondApi.listen(0, '127.0.0.1');
    urls = [await api.getUrl(), await secondApi.getUrl()];
    worker = await NestFactory.createApplicationContext(WebhooksWorkerModule, { logger: false, abortOnError: false });
    db = new pg.Client({ connectionString: env.database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await worker?.close();
    await api?.close();
    await secondApi?.close();
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: env.queuePrefix });
    await queue.obliterate({ force: true });
    await queue.close();
    await env?.teardown();
  });

  const post = async (event: string, payload: unknown, options: { delivery?: string; hookId?: string; secret?: string; to?: number } = {}) => {
    const body = JSON.stringify(payload);
    const delivery = options.delivery ?? randomUUID();
    const response = await fetch(`${urls[options.to ?? 0]}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-github-hook-id': options.hookId ?? '1',
        'x-hub-signature-256': signWebhookBody(body, options.secret ?? SECRET),
      },
      body,
    });
    return { status: response.status, body: await response.json(), delivery };
  };

  /** Polls until every given delivery has left `received` (bounded; no wall-clock assertion). */
  const settled = async (deliveryIds: string[], timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await db.query(`SELECT delivery_id, status, error FROM webhook_delivery WHERE delivery_id = ANY($1)`, [deliveryIds]);
      if (rows.length === deliveryIds.length && rows.every((row) => row.status !== 'received')) {
        return Object.fromEntries(rows.map((row) => [row.delivery_id, row.status]));
      }
      if (Date.now() > deadline) throw new Error(`deliveries not processed in time: ${JSON.stringify(rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const snapshot = async () => {
    const query = async (sql: string) => (await db.query(sql)).rows;
    return {
      activities: await query(`SELECT type, source_key, occurred_at, member_id, removed_at, facts FROM activity ORDER BY source_key`),
      pullRequests: await query(`SELECT * FROM pull_request ORDER BY id`),
      issues: await query(`SELECT * FROM issue ORDER BY id`),
      commits: await query(`SELECT * FROM git_commit ORDER BY sha`),
      links: await query(`SELECT * FROM git_commit_repository ORDER BY sha, repository_id`),
      repositories: await query(`SELECT id, owner, name, full_name FROM repository ORDER BY id`),
      members: await query(`SELECT id, kind, login FROM member ORDER BY id`),
      identities: await query(`SELECT platform, key, member_id FROM identity ORDER BY platform, key`),
    };
  };

  describe('normalisation of real payload shapes', () => {
    const deliveries: Record<string, string> = {};

    beforeAll(async () => {
      const push = example('push');
      push.commits[0].message = I5_MESSAGE;
      push.commits[0].author = { name: 'Oak River', email: 'oak@river.example', username: 'oak-river' };

      const merged = example('pull_request', 'closed');
      Object.assign(merged.pull_request, { merged: true, merged_at: '2019-05-15T15:21:18Z', merged_by: { login: 'Octocat', id: 583231, type: 'User' } });

      const ghostComment = example('issue_comment', 'created');
      ghostComment.comment = { ...ghostComment.comment, id: 1, user: null, body: '+1' }; // I1
      ghostComment.sender = { login: 'ghost', id: 10137, type: 'User' };

      const issueWithNul = example('issues', 'opened');
      issueWithNul.issue.title = 'Spelling error\u0000 in the README file'; // kept in the payload, dropped from text columns

      const oldName = example('star', 'created');
      oldName.repository = { ...example('repository', 'renamed').repository, name: 'Hello-World-old', full_name: 'octocat/Hello-World-old', owner: { login: 'octocat', id: 1 } };
      oldName.sender = { login: 'starrer', id: 777, type: 'User' };

      const first: Array<[string, string, unknown]> = [
        ['push', 'push', push],
        ['opened', 'pull_request', example('pull_request', 'opened')],
        ['review', 'pull_request_review', example('pull_request_review', 'submitted')],
        ['reviewComment', 'pull_request_review_comment', example('pull_request_review_comment', 'created')],
        ['issueOpened', 'issues', issueWithNul],
        ['issueComment', 'issue_comment', example('issue_comment', 'created')],
        ['ghostComment', 'issue_comment', ghostComment],
        ['star', 'star', example('star', 'created')],
        ['fork', 'fork', example('fork')],
        ['release', 'release', example('release', 'published')],
        ['oldName', 'star', oldName],
        ['ping', 'ping', example('ping')],
        ['installation', 'installation', example('installation', 'created')],
        ['checkRun', 'check_run', example('check_run')],
      ];
      for (const [name, event, payload] of first) {
        const result = await post(event, payload);
        expect(result.status).toBe(202);
        deliveries[name] = result.delivery;
      }
      await settled(Object.values(deliveries));
      // facts that follow the first ones
      const second: Array<[string, string, unknown]> = [
        ['merged', 'pull_request', merged],
        ['unstar', 'star', example('star', 'deleted')],
        ['renamed', 'repository', example('repository', 'renamed')],
      ];
      for (const [name, event, payload] of second) deliveries[name] = (await post(event, payload)).delivery;
      await settled(Object.values(deliveries));
    });

    it('marks each delivery processed, or ignored for events that are not used', async () => {
      const { rows } = await db.query(`SELECT delivery_id, status, attempts, error FROM webhook_delivery WHERE delivery_id = ANY($1)`, [Object.values(deliveries)]);
      const byName = Object.fromEntries(Object.entries(deliveries).map(([name, id]) => [name, rows.find((row) => row.delivery_id === id)]));
      expect(byName.checkRun).toMatchObject({ status: 'ignored', error: null });
      for (const name of Object.keys(deliveries).filter((key) => key !== 'checkRun')) {
        expect([name, byName[name].status, byName[name].error]).toEqual([name, 'processed', null]);
      }
    });

    it('records one activity per fact with the keys the API sync uses, dated by the payload', async () => {
      const { rows } = await db.query(`SELECT type, source_key, occurred_at, source FROM activity ORDER BY source_key`);
      expect(rows.map((row) => [row.type, row.source_key, row.occurred_at.toISOString(), row.source])).toEqual([
        ['commit', `commit:${SHA}`, '2019-05-15T15:19:25.000Z', 'webhook'],
        ['commit', `commit:${SHA}:co:4243+pat-p@users.noreply.github.com`, '2019-05-15T15:19:25.000Z', 'webhook'],
        ['commit', `commit:${SHA}:co:sam@example.org`, '2019-05-15T15:19:25.000Z', 'webhook'],
        ['fork', 'fork:186853261', '2019-05-15T15:20:42.000Z', 'webhook'],
        ['issue_opened', `issue:${REPO}:1:opened`, '2019-05-15T15:20:18.000Z', 'webhook'],
        ['issue_comment', 'issue_comment:1', expect.any(String), 'webhook'],
        ['issue_comment', 'issue_comment:492700400', '2019-05-15T15:20:21.000Z', 'webhook'],
        ['pull_request_merged', `pull_request:${REPO}:2:merged`, '2019-05-15T15:21:18.000Z', 'webhook'],
        ['pull_request_opened', `pull_request:${REPO}:2:opened`, '2019-05-15T15:20:33.000Z', 'webhook'],
        ['release', 'release:17372790', '2019-05-15T15:20:53.000Z', 'webhook'],
        ['review', 'review:237895671', '2019-05-15T15:20:38.000Z', 'webhook'],
        ['review_comment', 'review_comment:284312630', '2019-05-15T15:20:37.000Z', 'webhook'],
        ['star', `star:${REPO}:21031067`, '2019-05-15T15:20:40.000Z', 'webhook'],
        ['star', 'star:186853261:777', '2019-05-15T15:20:40.000Z', 'webhook'],
      ]);
    });

    it('I5: credits the push author by e-mail and the co-authors, Pat through the noreply id; Eve gets nothing', async () => {
      const { rows } = await db.query(
        `SELECT a.source_key, i.platform, i.key FROM activity a JOIN identity i ON i.id = a.identity_id WHERE a.type = 'commit' ORDER BY a.source_key`,
      );
      expect(rows.map((row) => [row.platform, row.key])).toEqual([
        ['email', 'oak@river.example'],
        ['github', '4243'],
        ['email', 'sam@example.org'],
      ]);
      const { rows: commits } = await db.query(`SELECT c.sha, c.repository_id, c.message_headline, jsonb_array_length(c.co_authors) AS co, l.repository_id AS linked FROM git_commit c JOIN git_commit_repository l USING (sha)`);
      expect(commits).toEqual([{ sha: SHA, repository_id: String(REPO), message_headline: 'Fix parser edge case', co: 3, linked: String(REPO) }]);
    });

    it('I1: a comment by a deleted account (user null, ghost sender) counts for the deleted-account member', async () => {
      const { rows } = await db.query(`SELECT m.kind, i.platform FROM activity a JOIN member m ON m.id = a.member_id JOIN identity i ON i.id = a.identity_id WHERE a.source_key = 'issue_comment:1'`);
      expect(rows).toEqual([{ kind: 'deleted', platform: 'deleted' }]);
    });

    it('upserts the merged pull request, the issue, and credits the merge to the author with merged_by in facts', async () => {
      const { rows: prs } = await db.query(`SELECT id, number, state, merged, merged_at, author_account_id, merged_by_account_id FROM pull_request`);
      expect(prs).toEqual([
        { id: '279147437', number: 2, state: 'closed', merged: true, merged_at: new Date('2019-05-15T15:21:18Z'), author_account_id: '21031067', merged_by_account_id: '583231' },
      ]);
      const { rows: merge } = await db.query(`SELECT m.login, a.facts FROM activity a JOIN member m ON m.id = a.member_id WHERE a.type = 'pull_request_merged'`);
      expect(merge).toEqual([{ login: 'Codertocat', facts: expect.objectContaining({ merged_by: { id: 583231, login: 'Octocat' } }) }]);
      const { rows: issues } = await db.query(`SELECT id, number, state, labels, title FROM issue`);
      expect(issues).toEqual([{ id: '444500041', number: 1, state: 'open', labels: ['bug'], title: 'Spelling error in the README file' }]);
    });

    it('marks a removed star removed, and renames a repository by its numeric id', async () => {
      const { rows: stars } = await db.query(`SELECT source_key, removed_at IS NOT NULL AS removed FROM activity WHERE type = 'star' ORDER BY source_key`);
      expect(stars).toEqual([
        { source_key: `star:${REPO}:21031067`, removed: true },
        { source_key: 'star:186853261:777', removed: false },
      ]);
      const { rows } = await db.query(`SELECT owner, name, full_name FROM repository WHERE id = 186853261`);
      expect(rows).toEqual([{ owner: 'Octocoders', name: 'Hello-World', full_name: 'Octocoders/Hello-World' }]);
    });

    it('changes nothing when the same deliveries are posted again or their jobs run again', async () => {
      const before = await snapshot();
      const reposted = await post('issues', example('issues', 'opened'), { delivery: deliveries.issueOpened });
      expect(reposted).toMatchObject({ status: 200, body: { status: 'duplicate' } });

      // a replayed job on a processed delivery does nothing
      const processing = worker.get(DeliveryProcessingService);
      const { rows } = await db.query(`SELECT id FROM webhook_delivery ORDER BY id`);
      for (const { id } of rows) expect((await processing.process(id, { finalAttempt: false })).status).toBe('already-done');
      // and a delivery processed a second time from scratch changes no row either
      await db.query(`UPDATE webhook_delivery SET status = 'received'`);
      for (const { id } of rows) expect((await processing.process(id, { finalAttempt: false })).activitiesInserted).toBe(0);
      expect(await snapshot()).toEqual(before);
      // nor writes the repositories it names when it says nothing new about them (same row versions)
      const versions = async () => (await db.query(`SELECT id, xmin::text AS version FROM repository ORDER BY id`)).rows;
      const repositoryVersions = await versions();
      const [last] = rows.slice(-1);
      await db.query(`UPDATE webhook_delivery SET status = 'received' WHERE id = $1`, [last.id]);
      expect((await processing.process(last.id, { finalAttempt: false })).activitiesInserted).toBe(0);
      expect(await versions()).toEqual(repositoryVersions);
    });
  });

  describe('W3: one delivery, one effect', () => {
    const W3_DELIVERY = '7b1e0c2a-0000-4000-8000-000000000001';
    const issuesOpened = () => {
      const payload = example('issues', 'opened');
      payload.repository = { ...payload.repository, id: 900001, name: 'w3', full_name: 'Codertocat/w3' };
      payload.issue = { ...payload.issue, id: 900002, number: 77 };
      return payload;
    };
    const effects = async () => ({
      rows: Number((await db.query(`SELECT count(*) FROM webhook_delivery WHERE delivery_id = $1`, [W3_DELIVERY])).rows[0].count),
      issues: Number((await db.query(`SELECT count(*) FROM issue WHERE repository_id = 900001`)).rows[0].count),
      activities: Number((await db.query(`SELECT count(*) FROM activity WHERE repository_id = 900001`)).rows[0].count),
    });

    it('W3: the same delivery posted twice ~20 ms apart to two api processes is stored and processed once', async () => {
      const first = post('issues', issuesOpened(), { delivery: W3_DELIVERY, to: 0 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const second = post('issues', issuesOpened(), { delivery: W3_DELIVERY, to: 1 });
      const statuses = (await Promise.all([first, second])).map((result) => result.status).sort();
      expect(statuses).toEqual([200, 202]);
      await settled([W3_DELIVERY]);
      expect(await effects()).toEqual({ rows: 1, issues: 1, activities: 1 });
    });

    it('W3: a redelivery later with the same id, or from another hook id, answers 2xx with no effect', async () => {
      const again = await post('issues', issuesOpened(), { delivery: W3_DELIVERY, to: 1 });
      const otherHook = await post('issues', issuesOpened(), { delivery: W3_DELIVERY, hookId: '99999' });
      expect([again.status, otherHook.status]).toEqual([200, 200]);
      expect([again.body, otherHook.body]).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
      const { rows } = await db.query(`SELECT hook_id, attempts, status FROM webhook_delivery WHERE delivery_id = $1`, [W3_DELIVERY]);
      expect(rows).toEqual([{ hook_id: '1', attempts: 1, status: 'processed' }]);
      expect(await effects()).toEqual({ rows: 1, issues: 1, activities: 1 });
    });

    it('W3: a delivery with a bad signature does not reserve its id; the valid one after it is stored', async () => {
      const id = '7b1e0c2a-0000-4000-8000-000000000002';
      const forged = await post('issues', issuesOpened(), { delivery: id, secret: 'wrong' });
      expect(forged.status).toBe(401);
      const valid = await post('issues', issuesOpened(), { delivery: id });
      expect(valid).toMatchObject({ status: 202, body: { delivery: id, status: 'queued' } });
      expect(await settled([id])).toEqual({ [id]: 'processed' });
    });
  });
});
