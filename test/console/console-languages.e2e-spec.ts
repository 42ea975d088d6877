import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemSyncService, GithubSyncModule } from '#libs/github';
import { StageService } from '#libs/members';
import { QueueName } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import type { TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from '../e2e/graphql-client.js';
import {
  ADMIN,
  ARTIFACTS,
  closeConsoleParts,
  launchConsoleBrowser,
  originOf,
  SETUP_TIMEOUT,
  signInFromConsole,
  startConsoleEnv,
  STEP_TIMEOUT,
  switchLanguage,
  type ConsoleBrowser,
} from './console-harness.js';

type Catalog = { [key: string]: string | Catalog };
const CATALOGS: Record<'en' | 'zh-CN', Catalog> = {
  en: JSON.parse(readFileSync(resolve('apps/console/src/i18n/locales/en.json'), 'utf8')) as Catalog,
  'zh-CN': JSON.parse(readFileSync(resolve('apps/console/src/i18n/locales/zh-CN.json'), 'utf8')) as Catalog,
};
type Language = keyof typeof CATALOGS;

/** The text of `key` ("a.b.c") in a catalog. */
function text(language: Language, key: string): string {
  const found = key.split('.').reduce<string | Catalog | undefined>((node, part) => (typeof node === 'object' ? node[part] : undefined), CATALOGS[language]);
  if (typeof found !== 'string') throw new Error(`${language} has no text for ${key}`);
  return found;
}

/**
 * The console's routes as routes.tsx lists them (path and nav key of each entry), read from its source so
 * that a page added there and not here fails this spec.
 */
const ROUTES_SOURCE = readFileSync(resolve('apps/console/src/routes.tsx'), 'utf8');
const DECLARED_ROUTES = [...ROUTES_SOURCE.matchAll(/\{ path: '([^']+)', navKey: '([^']+)'/g)].map(([, path, navKey]) => ({ path: path!, navKey: navKey! }));

/** A hackathon in judging that the admin judges, so that the Judging page is in the admin's menu. */
const JUDGED_HACKATHON = 'autumn-jam';

/** Every page, with the catalog key of its title and what shows that its content (not only its frame) is there. */
const PAGES: Array<{ path: string; name: string; titleKey: string; content: string }> = [
  { path: '/', name: 'sign-in', titleKey: 'signIn.title', content: '[data-testid="welcome"]' },
  { path: '/ecosystem', name: 'ecosystem', titleKey: 'ecosystem.title', content: '.ant-table-row' },
  { path: '/members', name: 'members', titleKey: 'members.title', content: '[data-testid="members-table"] .ant-table-row' },
  { path: '/funnel', name: 'funnel', titleKey: 'funnel.title', content: '[data-testid="funnel-period"]' },
  { path: '/leaderboard', name: 'leaderboard', titleKey: 'leaderboard.title', content: '.ant-table' },
  { path: '/health', name: 'health', titleKey: 'health.title', content: '.ant-card' },
  { path: '/hackathons', name: 'hackathons', titleKey: 'hackathons.title', content: '.ant-empty, .ant-table' },
  { path: '/digests', name: 'digests', titleKey: 'digests.title', content: '[data-testid="digest-week"]' },
  { path: '/operations', name: 'operations', titleKey: 'operations.title', content: '[data-testid="deliveries-table"]' },
  // the admin judges the hackathon made in beforeAll (the menu shows Judging to judges only)
  { path: '/judging', name: 'judging', titleKey: 'judging.title', content: `[data-testid="judging-${JUDGED_HACKATHON}"]` },
];

/** Text that looks like a catalog key shown instead of its text: "members.detail.title" and the like. */
const KEY_LIKE = new RegExp(`\\b(?:${Object.keys(CATALOGS.en).join('|')})\\.[a-zA-Z]+(?:\\.[a-zA-Z]+)*\\b`);
/** Ant Design's own English texts (its en_US locale) that its zh_CN locale replaces. */
const ANT_ENGLISH = /items \/ page|\bNo data\b|Select date|Select week|Select month|Go to|Page Size|\bReset\b/;
/** A CJK character. */
const HAN = /\p{Script=Han}/u;
/**
 * Headings, card and column titles, tabs and form labels may be in Latin script in Chinese only when they
 * are names or codes the field uses as they are (GitHub logins, the ecosystem's name, ISO weeks, counts).
 */
const NAMES = /^(?:[\d\s.,:%/()#+\-–—·]*|GitHub|RWKV|BlinkDL|Slug|ID|API|SMTP|URL|SHA|ISO|[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+|\d{4}-W\d{2}.*)$/;

/** What a page of the console recorded: i18next's missing keys, page errors, console errors. */
interface PageProblems {
  missingKeys: string[];
  errors: string[];
}

describe('console in Chromium: every page in English and in Simplified Chinese', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let browser: ConsoleBrowser;
  let page: Page;
  let origin: string;
  const errors: string[] = [];
  const shots = join(ARTIFACTS, 'languages');

  /** The missing keys the console recorded since it loaded, and the errors since the last call. */
  async function problems(): Promise<PageProblems> {
    const missingKeys = await page.evaluate(() => [...((globalThis as unknown as { __CAMBRIAN_MISSING_KEYS__?: string[] }).__CAMBRIAN_MISSING_KEYS__ ?? ['(no recorder)'])]);
    return { missingKeys, errors: errors.splice(0) };
  }

  /** The side menu's entry labelled `label` (its accessible name also holds its icon's). */
  const menuItem = (label: string) => page.locator('.ant-layout-sider .ant-menu-item').filter({ hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });

  /** Waits until the page at `path` shows its title in `language` and its content, with nothing loading. */
  async function visit(language: Language, target: (typeof PAGES)[number]): Promise<void> {
    const navLabel = text(language, DECLARED_ROUTES.find((route) => route.path === target.path)!.navKey);
    await menuItem(navLabel).click();
    await page.waitForURL((url) => url.pathname.replace(/\/$/, '') === `/console${target.path}`.replace(/\/$/, ''));
    const main = page.locator('main');
    await main.getByText(text(language, target.titleKey), { exact: true }).first().waitFor();
    await main.locator(target.content).first().waitFor();
    await page.waitForFunction(() => {
      const doc = (globalThis as unknown as { document: { querySelectorAll(selector: string): { length: number } } }).document;
      return doc.querySelectorAll('main .ant-spin-spinning, main .ant-skeleton-active').length === 0;
    });
  }

  /** The texts of the page's headings, card titles, column titles, tabs and form labels. */
  async function headings(): Promise<string[]> {
    const texts = await page.locator('main :is(h1, h2, h3, h4, h5, .ant-card-head-title, th.ant-table-cell, .ant-tabs-tab-btn, .ant-statistic-title, .ant-form-item-label)').allInnerTexts();
    return [...new Set(texts.map((item) => item.trim()).filter(Boolean))];
  }

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    ({ env, sim } = await startConsoleEnv());
    api = await createApiApp({ logger: false });
    const client = await GraphqlClient.listen(api);
    origin = originOf(api);
    // the RWKV demo data: one tracked repository of the export, synced from the simulator as the worker would
    const token = (await api.get(ApiTokenService, { strict: false }).create({ name: 'console languages', role: 'admin' })).secret;
    await client.data(`mutation { createEcosystem(slug: "rwkv", name: "RWKV") { slug } }`, {}, { token });
    await client.data(`mutation { addTrackedSource(ecosystem: "rwkv", kind: REPOSITORY, name: "BlinkDL/RWKV-CUDA") { created } }`, {}, { token });
    worker = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    const [{ id }] = await worker.get(DataSource).query(`SELECT id FROM ecosystem WHERE slug = 'rwkv'`);
    expect((await worker.get(EcosystemSyncService).syncInProcess(id, { concurrency: 3 })).failures).toEqual([]);
    // the members' stages, as the worker evaluates them after ingestion (the funnel and the member list show them)
    const members = (await worker.get(DataSource).query(`SELECT id FROM member`)) as Array<{ id: string }>;
    await api.get(StageService, { strict: false }).recomputeMembers(members.map((member) => member.id));
    // a hackathon in judging, judged by the admin (the Judging page is a judge's)
    await worker.get(DataSource).query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
       VALUES ($1, $2, 'Autumn Jam', 'judging', now() - interval '3 days', now() - interval '1 day')`,
      [id, JUDGED_HACKATHON],
    );
    await client.data(`mutation { addJudge(hackathon: "${JUDGED_HACKATHON}", member: "${ADMIN}") { id } }`, {}, { token });

    browser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    page = browser.page;
    // the console records the keys it finds in no catalog into this array (apps/console/src/i18n/i18n.ts)
    await browser.context.addInitScript(() => {
      (globalThis as unknown as { __CAMBRIAN_MISSING_KEYS__: string[] }).__CAMBRIAN_MISSING_KEYS__ = [];
    });
    page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console error: ${message.text()} (${message.location().url})`);
    });
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    if (worker) for (const name of Object.values(QueueName)) await worker.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await worker?.close();
    await closeConsoleParts({ browser, api, sim, env });
  });

  it('signs in as the admin', async () => {
    await signInFromConsole(page, origin);
    await page.getByTestId('welcome').waitFor();
    errors.splice(0); // the simulator's account picker is no page of the console (it has no icon, a 404)
  }, STEP_TIMEOUT * 2);

  it('visits every route the console declares, each one in the side menu', async () => {
    expect(DECLARED_ROUTES.length).toBeGreaterThan(0);
    expect(PAGES.map((target) => target.path).sort()).toEqual(DECLARED_ROUTES.map((route) => route.path).sort());
    const menu = await page.locator('.ant-layout-sider .ant-menu-item').allInnerTexts();
    expect(menu.map((item) => item.trim())).toEqual(DECLARED_ROUTES.map((route) => text('en', route.navKey)));
  }, STEP_TIMEOUT * 2);

  for (const language of ['en', 'zh-CN'] as const) {
    describe(language === 'en' ? 'in English' : 'in Simplified Chinese, switched with the console language switch', () => {
      if (language === 'zh-CN') {
        it('switches the language from the header', async () => {
          await switchLanguage(page, '简体中文');
          await menuItem(text('zh-CN', 'nav.members')).waitFor();
          expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang)).toBe('zh-CN');
          // the side menu names every page in Chinese
          const menu = await page.locator('.ant-layout-sider .ant-menu-item').allInnerTexts();
          expect(menu.map((item) => item.trim())).toEqual(DECLARED_ROUTES.map((route) => text('zh-CN', route.navKey)));
        }, STEP_TIMEOUT * 2);
      }

      it.each(PAGES)(`shows $path with its content, every text in ${language}`, async (target) => {
        await visit(language, target);
        await page.screenshot({ path: join(shots, `${language}-${target.name}.png`), fullPage: true });
        const main = page.locator('main');
        expect(await main.locator('.ant-alert-error, .ant-result-error').count()).toBe(0);
        const shown = await page.locator('body').innerText();
        expect(shown.match(KEY_LIKE)).toBeNull();
        expect(await problems()).toEqual({ missingKeys: [], errors: [] });
        if (language === 'zh-CN') {
          expect(shown.match(ANT_ENGLISH)).toBeNull();
          expect((await headings()).filter((heading) => !HAN.test(heading) && !NAMES.test(heading))).toEqual([]);
          // Ant Design's own texts are Chinese where the page shows them
          for (const options of await main.locator('.ant-pagination-options .ant-select-selection-item').allInnerTexts()) expect(options).toContain('条/页');
          for (const placeholder of await main.locator('.ant-picker input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { placeholder: string }).placeholder))) {
            expect(placeholder === '' || HAN.test(placeholder)).toBe(true);
          }
        }
      }, STEP_TIMEOUT * 2);
    });
  }

  it("shows Ant Design's own texts in Chinese: the members list's date range picker", async () => {
    await visit('zh-CN', PAGES.find((target) => target.path === '/members')!);
    const placeholders = await page.locator('main .ant-picker-range input').evaluateAll((inputs) => inputs.map((input) => (input as unknown as { placeholder: string }).placeholder));
    expect(placeholders).toEqual(['开始日期', '结束日期']);
  }, STEP_TIMEOUT * 2);
});
