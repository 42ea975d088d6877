import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule, QueueName } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { GithubSyncProcessorModule } from '../../apps/worker/src/processors/github-sync-processor.module.js';
import { createEcosystem } from '../helpers/factories.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** The built console (`npm run build`), as the api serves it. */
const CONSOLE_DIR = resolve('dist/console');
/** Screenshots of each page, for people to look at (git-ignored). */
const ARTIFACTS = resolve('artifacts/console');
const ADMIN = 'BlinkDL';
const REPOSITORY = 'BlinkDL/RWKV-CUDA';

/** Debian's Chromium, headless, with nothing that reaches out to the network on its own. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe('console in Chromium: GitHub sign-in against the simulator, roles, Chinese, the Ecosystem page synced by the worker', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let db: pg.Pool;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  let origin: string;

  beforeAll(async () => {
    if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error(`${CONSOLE_DIR} holds no built console: run \`npm run build\` first`);
    if (!existsSync('/usr/bin/chromium')) throw new Error("Chromium is not installed: apt-get install -y chromium (scripts/lib.sh's ensure_chromium does it)");
    mkdirSync(ARTIFACTS, { recursive: true });
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'console-e2e-token', ADMIN_GITHUB_LOGINS: ADMIN.toLowerCase(), CONSOLE_DIR, WORKER_CONCURRENCY: '2' });
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    origin = `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
    worker = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncProcessorModule] }).compile()).init();
    await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    profile = mkdtempSync(join(tmpdir(), 'cambrian-chromium-'));
    // a fresh profile (Playwright passes it as --user-data-dir)
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
    });
    page = browser.pages()[0] ?? (await browser.newPage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    for (const name of Object.values(QueueName)) await worker?.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await worker?.close();
    await api?.close();
    await sim?.close();
    await db?.end();
    await env?.teardown();
  });

  it('signs in through GitHub (the simulator) and lands on the console showing the login and the ADMIN role', async () => {
    await page.goto(`${origin}/console/`);
    await page.getByText('Not signed in').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '01-sign-in.png'), fullPage: true });
    await page.getByRole('link', { name: /Sign in with GitHub/ }).click();
    // the simulator's account picker: pick the admin (GitHub's `login` suggestion)
    await page.waitForURL((url) => url.pathname === '/login/oauth/authorize');
    const authorize = new URL(page.url());
    authorize.searchParams.set('login', ADMIN);
    await page.goto(authorize.toString());
    await page.waitForURL(`${origin}/console/`);
    await page.getByTestId('welcome').waitFor();
    expect(await page.getByTestId('welcome').textContent()).toBe(`Welcome, ${ADMIN}`);
    expect(await page.getByTestId('viewer-roles').textContent()).toBe('AdminMember');
    expect(await page.getByTestId('viewer-login').textContent()).toBe(`Signed in as ${ADMIN}`);
    await page.screenshot({ path: join(ARTIFACTS, '02-signed-in.png'), fullPage: true });
  });

  it('switches to Simplified Chinese, and keeps it after a reload', async () => {
    await page.getByTestId('language-switch').click();
    await page.getByText('简体中文').click();
    await page.getByText(`欢迎，${ADMIN}`).waitFor();
    expect(await page.getByTestId('viewer-roles').textContent()).toBe('管理员成员');
    await page.reload();
    await page.getByText(`欢迎，${ADMIN}`).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '03-signed-in-zh.png'), fullPage: true });
  });

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
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.ant-tag-success').length > 0, undefined, { timeout: 90_000, polling: 500 }).catch(async (error) => {
      await page.screenshot({ path: join(ARTIFACTS, '05-ecosystem-timeout.png'), fullPage: true });
      throw error;
    });
    await row.first().waitFor();
    // the row shows what the api answers (asked again from the page, then the page refreshed to the same instant's data)
    const health = (await page.evaluate(async (query) => {
      const answer = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      return answer.json();
    }, '{ repositories(ecosystem: "rwkv") { fullName syncHealth { requests runningResources resources { resource } } } }')) as {
      data: { repositories: Array<{ fullName: string; syncHealth: { requests: number; runningResources: number; resources: Array<{ resource: string }> } }> };
    };
    const [synced] = health.data.repositories;
    expect(synced.fullName).toBe(REPOSITORY);
    expect(synced.syncHealth.runningResources).toBe(0);
    expect(synced.syncHealth.requests).toBeGreaterThan(0);
    expect(synced.syncHealth.resources.map((item) => item.resource)).toContain('commits');
    await repositories.getByRole('button', { name: /刷\s?新/ }).click();
    await row.filter({ has: page.getByRole('cell', { name: String(synced.syncHealth.requests), exact: true }) }).first().waitFor();
    expect(await row.first().textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} UTC/); // last success
    await repositories.getByRole('button', { name: /展开行|Expand row/ }).first().click();
    await page.getByRole('cell', { name: 'commits', exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '05-ecosystem-synced-zh.png'), fullPage: true });
  }, 120_000);

  it('signs out with the CSRF token and is signed out afterwards', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('未登录').waitFor();
    const viewer = await page.evaluate(async () => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { kind } }' }) })).json());
    expect(viewer).toEqual({ data: { viewer: { kind: 'ANONYMOUS' } } });
    await page.screenshot({ path: join(ARTIFACTS, '06-signed-out-zh.png'), fullPage: true });
  });
});
