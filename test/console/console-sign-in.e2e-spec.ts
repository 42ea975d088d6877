import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { GithubSyncProcessorModule } from '../../apps/worker/src/processors/github-sync-processor.module.js';
import { createEcosystem } from '../helpers/factories.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ADMIN,
  ARTIFACTS,
  closeConsoleParts,
  confirmPopconfirm,
  launchConsoleBrowser,
  originOf,
  pickGithubAccount,
  screenshotOnFailure,
  SETUP_TIMEOUT,
  startConsoleEnv,
  switchLanguage,
  TEST_TIMEOUT,
  WORKER_TEST_TIMEOUT,
  WORKER_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

const REPOSITORY = 'BlinkDL/RWKV-CUDA';

describe('console in Chromium: GitHub sign-in against the simulator, roles, Chinese, the Ecosystem page synced by the worker', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let db: pg.Pool;
  let browser: ConsoleBrowser;
  let page: Page;
  let origin: string;

  beforeAll(async () => {
    ({ env, sim } = await startConsoleEnv({ WORKER_CONCURRENCY: '2' }));
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    origin = originOf(api);
    worker = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncProcessorModule] }).compile()).init();
    await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    browser = await launchConsoleBrowser();
    page = browser.page;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await closeConsoleParts({ browser, worker, api, sim, db, env });
  });

  it('signs in through GitHub (the simulator) and lands on the console showing the login and the ADMIN role', async () => {
    await page.goto(`${origin}/console/`);
    await page.getByText('Not signed in').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '01-sign-in.png'), fullPage: true });
    await page.getByRole('link', { name: /Sign in with GitHub/ }).click();
    // the simulator's account picker: pick the admin (GitHub's `login` suggestion)
    await pickGithubAccount(page, origin);
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('welcome').textContent()).toBe(`Welcome, ${ADMIN}`);
    expect(await page.getByTestId('viewer-roles').textContent()).toBe('AdminMember');
    expect(await page.getByTestId('viewer-login').textContent()).toBe(`Signed in as ${ADMIN}`);
    await page.screenshot({ path: join(ARTIFACTS, '02-signed-in.png'), fullPage: true });
  }, TEST_TIMEOUT);

  it('switches to Simplified Chinese, and keeps it after a reload', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByText(`欢迎，${ADMIN}`).waitFor();
    expect(await page.getByTestId('viewer-roles').textContent()).toBe('管理员成员');
    await page.reload();
    await page.getByText(`欢迎，${ADMIN}`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '03-signed-in-zh.png'), fullPage: true });
  }, TEST_TIMEOUT);

  it('adds a tracked repository, re-syncs, and shows its sync health once the worker has synced it (in Chinese)', async () => {
    await page.getByRole('menuitem', { name: '生态' }).click();
    await page.waitForURL(`${origin}/console/ecosystem`);
    await page.getByText('这个生态还没有跟踪任何来源').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '04-ecosystem-empty-zh.png'), fullPage: true });

    await page.getByPlaceholder('登录名或 owner/name').fill(REPOSITORY);
    await page.getByRole('combobox').nth(2).click(); // kind (after the language switch and the ecosystem picker)
    await page.getByTitle('仓库').click();
    await page.getByRole('button', { name: /^添\s?加$/ }).click(); // Ant Design spaces two-character Chinese button labels
    await page.getByText(`已开始跟踪 ${REPOSITORY}。`).waitFor();
    await page.getByRole('cell', { name: REPOSITORY }).waitFor();

    await page.getByRole('button', { name: /重新同步/ }).click();
    await page.getByText(/已加入重新同步队列/).waitFor();
    // the table refreshes itself while a sync runs; wait until the repository has a last success and no run in progress
    const repositories = page.locator('.ant-card').filter({ hasText: '仓库与同步状况' });
    const row = repositories.getByRole('row').filter({ hasText: REPOSITORY }).filter({ hasText: '空闲' });
    await screenshotOnFailure(page, '05-ecosystem-timeout.png', () =>
      page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.ant-tag-success').length > 0, undefined, { timeout: WORKER_TIMEOUT, polling: 500 }),
    );
    await row.first().waitFor();
    // the row shows what the api answers (asked again from the page, then the page refreshed to the same instant's data)
    const readHealth = async () =>
      (await page.evaluate(async (query) => {
        const answer = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
        return answer.json();
      }, '{ repositories(ecosystem: "rwkv") { id fullName syncHealth { requests runningResources resources { resource } } } }')) as {
        data: { repositories: Array<{ id: string; fullName: string; syncHealth: { requests: number; runningResources: number; resources: Array<{ resource: string }> } }> };
      };
    // adding the repository and the re-sync each queue a sync: the row can show the first one's success
    // while the second runs, so the api is asked until no run is in progress (a hang guard, not a timing)
    let health = await readHealth();
    for (const deadline = Date.now() + WORKER_TIMEOUT; health.data.repositories[0]?.syncHealth.runningResources !== 0 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      health = await readHealth();
    }
    const [synced] = health.data.repositories;
    expect(synced.fullName).toBe(REPOSITORY);
    expect(synced.syncHealth.runningResources).toBe(0);
    expect(synced.syncHealth.requests).toBeGreaterThan(0);
    expect(synced.syncHealth.resources.map((item) => item.resource)).toContain('commits');
    await repositories.getByRole('button', { name: /刷\s?新/ }).click();
    await row.filter({ has: page.getByRole('cell', { name: String(synced.syncHealth.requests), exact: true }) }).first().waitFor();
    expect(await row.first().textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} UTC/); // last success
    // the per-resource health is asked for when the row is opened, not with the page
    const resourcesAsked = page.waitForRequest((request) => new URL(request.url()).pathname === '/graphql' && request.postDataJSON()?.operationName === 'RepositorySyncResources');
    await repositories.getByRole('button', { name: /展开行|Expand row/ }).first().click();
    expect((await resourcesAsked).postDataJSON().variables).toEqual({ ref: String(health.data.repositories[0].id) });
    await page.getByRole('cell', { name: 'commits', exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '05-ecosystem-synced-zh.png'), fullPage: true });
  }, WORKER_TEST_TIMEOUT);

  it('pauses and resumes a tracked source, and removes one after confirming (in Chinese)', async () => {
    const sources = page.locator('.ant-card').filter({ hasText: '跟踪的来源' });
    const sourceRow = sources.getByRole('row').filter({ hasText: REPOSITORY });
    await sourceRow.getByRole('button', { name: /暂\s?停/ }).click();
    await page.getByText(`已暂停 ${REPOSITORY}`).waitFor();
    await sourceRow.getByText('已暂停').waitFor();
    await sourceRow.getByRole('button', { name: /恢\s?复/ }).click();
    await sourceRow.getByText('跟踪中').waitFor();

    await page.getByPlaceholder('登录名或 owner/name').fill('josStorer');
    await page.getByRole('combobox').nth(2).click();
    await page.getByTitle('用户').click();
    await page.getByRole('button', { name: /^添\s?加$/ }).click();
    const added = sources.getByRole('row').filter({ hasText: 'josStorer' }).filter({ hasNotText: REPOSITORY });
    await added.waitFor();
    await added.getByRole('button', { name: /移\s?除/ }).click();
    await page.getByText('停止跟踪 josStorer？其仓库和历史会保留。').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '05b-ecosystem-remove-confirm-zh.png'), fullPage: true });
    await confirmPopconfirm(page, /确\s?定|OK/);
    await page.getByText('已停止跟踪 josStorer').waitFor();
    await added.waitFor({ state: 'detached' });
    const answer = (await page.evaluate(async (query) => {
      const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return response.json();
    }, '{ ecosystem(slug: "rwkv") { trackedSources { kind name paused } } }')) as { data: { ecosystem: { trackedSources: unknown[] } } };
    expect(answer.data.ecosystem.trackedSources).toEqual([{ kind: 'REPOSITORY', name: REPOSITORY, paused: false }]);
  }, TEST_TIMEOUT);

  it('signs out with the CSRF token and is signed out afterwards', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('未登录').waitFor();
    const viewer = await page.evaluate(async () => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { kind } }' }) })).json());
    expect(viewer).toEqual({ data: { viewer: { kind: 'ANONYMOUS' } } });
    await page.screenshot({ path: join(ARTIFACTS, '06-signed-out-zh.png'), fullPage: true });
  }, TEST_TIMEOUT);
});
