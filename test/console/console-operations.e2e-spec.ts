import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { signWebhookBody } from '#libs/github';
import { QueueModule } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { WebhooksProcessorModule } from '../../apps/worker/src/processors/webhooks-processor.module.js';
import { until } from '../helpers/local-servers.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ARTIFACTS,
  closeConsoleParts,
  launchConsoleBrowser,
  originOf,
  pickGithubAccount,
  SETUP_TIMEOUT,
  signInFromConsole,
  startConsoleEnv,
  switchLanguage,
  TEST_TIMEOUT,
  WORKER_TEST_TIMEOUT,
  WORKER_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

const require = createRequire(import.meta.url);
const examples: Array<{ name: string; examples: Array<Record<string, any>> }> = require('@octokit/webhooks-examples');
const SECRET = 'console-operations-secret';
/** A GitHub login of the RWKV data that is not an admin (ADMIN_GITHUB_LOGINS names BlinkDL only). */
const NON_ADMIN = 'josStorer';

/** An `issues` `opened` payload (GitHub's example) about issue `number`, with an issue id of its own. */
function issueOpened(number: number): Record<string, any> {
  const payload = structuredClone(examples.find((e) => e.name === 'issues')!.examples.find((x) => x.action === 'opened')!);
  payload.issue.number = number;
  payload.issue.id = 8_000_000 + (number % 1_000_000);
  payload.issue.node_id = `I_console_ops_${number}`;
  return payload;
}

describe('console in Chromium: the Operations page — deliveries, redeliver, failed jobs, audit log, the queue dashboard (admins only)', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let db: pg.Pool;
  let browser: ConsoleBrowser;
  let page: Page;
  let origin: string;
  const poison = randomUUID();

  /** Screenshots `target` once its animations (tab ink bar, segmented thumb, messages) have run. */
  const shot = async (target: Page, name: string) => {
    await target.evaluate(() => {
      const page = globalThis as unknown as { document: { getAnimations(): Array<{ finished: Promise<unknown> }> } };
      return Promise.all(page.document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    });
    await target.screenshot({ path: join(ARTIFACTS, `operations-${name}.png`), fullPage: true });
  };
  const statusOf = async (delivery: string) => (await db.query(`SELECT status FROM webhook_delivery WHERE delivery_id = $1`, [delivery])).rows[0]?.status as string | undefined;
  const post = async (delivery: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const response = await fetch(`${origin}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'issues', 'x-github-delivery': delivery, 'x-hub-signature-256': signWebhookBody(body, SECRET) },
      body,
    });
    expect(response.status).toBe(202);
  };

  beforeAll(async () => {
    // one attempt: the poison delivery is `failed`, its job in the failed list, at once
    ({ env, sim } = await startConsoleEnv({ GITHUB_WEBHOOK_SECRETS: SECRET, WEBHOOK_JOB_ATTEMPTS: '1', WEBHOOK_JOB_BACKOFF_MS: '50' }));
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    origin = originOf(api);
    const workerModule = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, WebhooksProcessorModule] }).compile();
    workerModule.useLogger(false);
    worker = await workerModule.init();
    // deliveries: two that process, and one whose issue number is beyond Postgres' integer (it fails)
    await post(randomUUID(), issueOpened(101));
    await post(randomUUID(), issueOpened(102));
    await post(poison, issueOpened(2 ** 40));
    await until(async () => (await statusOf(poison)) === 'failed', 'the poison delivery to fail');
    // the fix (a deployed normaliser fix would do the same for the original payload)
    await db.query(`UPDATE webhook_delivery SET payload = $2::json WHERE delivery_id = $1`, [poison, JSON.stringify(issueOpened(103))]);
    browser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    page = browser.page;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await closeConsoleParts({ browser, worker, api, sim, db, env });
  });

  it('signs in as the admin and sees the stored deliveries, the failed one with its error', async () => {
    await signInFromConsole(page, origin);
    await page.getByRole('menuitem', { name: 'Operations' }).click();
    await page.waitForURL(`${origin}/console/operations`);
    const table = page.getByTestId('deliveries-table');
    await table.getByText('3 deliveries').waitFor();
    const failedRow = table.getByRole('row').filter({ hasText: 'Failed' });
    await failedRow.getByText(/out of range/).waitFor();
    expect(await table.getByRole('row').filter({ hasText: 'Processed' }).count()).toBe(2);
    await page.getByText('Failed', { exact: true }).first().click(); // the status filter
    await table.getByText('1 delivery', { exact: true }).waitFor();
    await shot(page, 'deliveries-en');
    // its job waits in the failed list too
    await page.getByRole('tab', { name: 'Failed jobs' }).click();
    const jobs = page.getByTestId('failed-jobs-table');
    await jobs.getByText(`Delivery ${poison}`).waitFor();
    await jobs.getByText('process-delivery').waitFor();
    await jobs.getByText('1 / 1').waitFor();
    await shot(page, 'failed-jobs-en');
    await page.getByRole('tab', { name: 'Webhook deliveries' }).click();
    await table.getByText('3 deliveries').waitFor();
  }, TEST_TIMEOUT);

  it('redelivers the failed delivery: it is processed once', async () => {
    const table = page.getByTestId('deliveries-table');
    await table.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: 'OK' }).click();
    await page.getByText(`Delivery ${poison} is queued for processing.`).waitFor();
    await until(async () => (await statusOf(poison)) === 'processed', 'the redelivered delivery to be processed', WORKER_TIMEOUT / 50);
    const { rows } = await db.query(`SELECT attempts, error FROM webhook_delivery WHERE delivery_id = $1`, [poison]);
    expect(rows).toEqual([{ attempts: 2, error: null }]);
    expect((await db.query(`SELECT count(*)::int AS n FROM activity WHERE type = 'issue_opened'`)).rows).toEqual([{ n: 3 }]);
    // the list, still showing it waiting, reads itself again until it says so (no reload, no click)
    await table.getByText('3 deliveries').waitFor();
    await table.getByRole('row').filter({ hasText: 'Processed' }).nth(2).waitFor();
    expect(await table.getByRole('button', { name: 'Redeliver' }).count()).toBe(0);
  }, WORKER_TEST_TIMEOUT);

  it('lists failed jobs (none left) and the audit log with the redelivery', async () => {
    await page.getByRole('tab', { name: 'Failed jobs' }).click();
    await page.getByText(/No failed jobs/).waitFor();
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const audit = page.getByTestId('audit-table');
    await audit.getByText('redeliverWebhookDelivery').waitFor();
    await audit.getByText('webhook-delivery ·', { exact: false }).waitFor();
    await shot(page, 'audit-en');
  }, TEST_TIMEOUT);

  it('opens the queue dashboard: bull-board over every queue, for the signed-in admin', async () => {
    const [dashboard] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('queue-dashboard-link').click()]);
    await dashboard.waitForLoadState();
    expect(new URL(dashboard.url()).pathname).toBe('/admin/queues/');
    expect(new URL(dashboard.url()).search).toBe('?lng=en');
    for (const queue of ['webhooks', 'github-sync', 'digests']) await dashboard.getByText(queue, { exact: true }).first().waitFor();
    // in the console's language: bull-board's English texts (its en-US locale)
    await dashboard.getByPlaceholder('Filter queues', { exact: true }).waitFor();
    expect(await dashboard.locator('html').getAttribute('lang')).toBe('en-US');
    await shot(dashboard, 'queues-en');
    await dashboard.close();
  }, TEST_TIMEOUT);

  it('shows the page in Chinese', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('tab', { name: 'Webhook 投递' }).click();
    await page.getByTestId('deliveries-table').getByText('共 3 个投递').waitFor();
    await page.getByRole('link', { name: /打开队列面板/ }).waitFor();
    await shot(page, 'deliveries-zh');
    // the queue dashboard opens in Chinese too: bull-board's own zh-CN texts
    const [dashboard] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('queue-dashboard-link').click()]);
    await dashboard.waitForLoadState();
    expect(new URL(dashboard.url()).search).toBe('?lng=zh-CN');
    await dashboard.getByPlaceholder('筛选队列', { exact: true }).waitFor();
    await dashboard.getByText('Cambrian 队列', { exact: true }).waitFor();
    await dashboard.getByText('webhooks', { exact: true }).first().waitFor();
    expect(await dashboard.getByPlaceholder('Filter queues', { exact: true }).count()).toBe(0);
    await shot(dashboard, 'queues-zh');
    await dashboard.close();
    await page.getByRole('tab', { name: '审计日志' }).click();
    await page.getByTestId('audit-table').getByText('redeliverWebhookDelivery').waitFor();
    await shot(page, 'audit-zh');
  }, TEST_TIMEOUT);

  it('refuses the queue dashboard to a signed-in member who is not an admin', async () => {
    const other = await launchConsoleBrowser({ timezoneId: 'UTC' });
    try {
      await other.page.goto(`${origin}/console/`);
      await other.page.getByRole('link', { name: /Sign in with GitHub/ }).click();
      await pickGithubAccount(other.page, origin, '/console/', NON_ADMIN);
      const answer = await other.page.goto(`${origin}/admin/queues/`);
      expect(answer?.status()).toBe(403);
      await other.page.getByText('The queue dashboard needs the admin role').waitFor();
      await other.page.goto(`${origin}/console/operations`);
      await other.page.getByText(/Operations are for admins/).waitFor();
      await other.page.getByText(/FORBIDDEN/).first().waitFor();
      await shot(other.page, 'refused-en');
    } finally {
      await other.close();
    }
  }, TEST_TIMEOUT);
});
