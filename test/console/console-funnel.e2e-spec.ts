import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Papa from 'papaparse';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { StageService } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { createActivities, createEcosystem, createMember, createRepository, createTrackedSource } from '../helpers/factories.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ARTIFACTS,
  closeConsoleParts,
  launchConsoleBrowser,
  originOf,
  SETUP_TIMEOUT,
  signInFromConsole,
  startConsoleEnv,
  switchLanguage,
  TEST_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

const DAY = 86_400_000;
const STAGES = ['OBSERVER', 'USER', 'FIRST_TIME_CONTRIBUTOR', 'REGULAR_CONTRIBUTOR', 'MAINTAINER'] as const;

interface FunnelAnswer {
  entered: number;
  steps: Array<{ stage: string; reached: number; current: number; conversionToNext: number | null }>;
}

describe('console in Chromium: the Funnel and cohorts, Leaderboards and Community health pages show what the api answers, through their filters', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let db: pg.Pool;
  let browser: ConsoleBrowser;
  let page: Page;
  let origin: string;
  let openLabId: string;
  /** Uncaught errors in the page: none is expected. */
  const pageErrors: string[] = [];

  /** The api's own answer to the funnel with these arguments, asked from the signed-in page. */
  async function apiFunnel(args: string): Promise<FunnelAnswer> {
    const answer = (await page.evaluate(async (query) => {
      const csrf = /(?:^|; )cambrian_csrf=([^;]*)/.exec((globalThis as unknown as { document: { cookie: string } }).document.cookie)?.[1] ?? '';
      const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: JSON.stringify({ query }) });
      return response.json();
    }, `{ funnel(ecosystem: "rwkv"${args}) { entered steps { stage reached current conversionToNext } } }`)) as { data: { funnel: FunnelAnswer } };
    return answer.data.funnel;
  }

  /** Waits until the page shows `expected` (entered, and reached / current per stage). */
  async function expectShown(expected: FunnelAnswer): Promise<void> {
    await page.waitForFunction(
      (entered) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('[data-testid="funnel-entered"]')?.textContent === entered,
      String(expected.entered),
    );
    expect(pageErrors).toEqual([]);
    for (const step of expected.steps) {
      expect(await page.getByTestId(`reached-${step.stage}`).textContent()).toBe(String(step.reached));
      expect(await page.getByTestId(`current-${step.stage}`).textContent()).toBe(String(step.current));
    }
  }

  beforeAll(async () => {
    ({ env, sim } = await startConsoleEnv());
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    origin = originOf(api);

    // the data the page reads: four people and a bot in one repository over the last weeks, one of
    // them with a paying organisation and one with a non-paying one, their stages evaluated as ingestion does
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    const trackedSourceId = await createTrackedSource(db, { ecosystemId, kind: 'repository', name: 'BlinkDL/RWKV-LM' });
    const repositoryId = await createRepository(db, { ecosystemId, owner: 'BlinkDL', name: 'RWKV-LM', trackedSourceId });
    const paying = await createMember(db, { login: 'paying-dev' });
    const free = await createMember(db, { login: 'open-dev' });
    const reporter = await createMember(db, { login: 'reporter' });
    const watcher = await createMember(db, { login: 'watcher' });
    const bot = await createMember(db, { kind: 'bot' });
    const { rows: orgs } = await db.query(`INSERT INTO organization (name, is_customer) VALUES ('BigCo', true), ('OpenLab', false) RETURNING id`);
    openLabId = orgs[1].id;
    await db.query(`INSERT INTO affiliation (member_id, organization_id, source) VALUES ($1, $2, 'manual'), ($3, $4, 'manual')`, [paying.memberId, orgs[0].id, free.memberId, openLabId]);
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
    const ids = await createActivities(db, [
      { member: paying, repositoryId, type: 'commit', occurredAt: at(20) },
      { member: free, repositoryId, type: 'star', occurredAt: at(40) },
      { member: free, repositoryId, type: 'issue_opened', occurredAt: at(39) },
      { member: free, repositoryId, type: 'commit', occurredAt: at(10) },
      { member: reporter, repositoryId, type: 'issue_opened', occurredAt: at(5) },
      { member: watcher, repositoryId, type: 'star', occurredAt: at(3) },
      { member: bot, repositoryId, type: 'commit', occurredAt: at(3) },
    ]);
    await api.get(StageService, { strict: false }).evaluateActivities(ids, { now: new Date(now) });
    // open issues and a pull request nobody has answered yet, for the item flow
    for (const [number, author, daysAgo] of [[1, reporter, 5], [2, paying, 2]] as const) {
      await db.query(
        `INSERT INTO issue (id, repository_id, number, title, state, author_account_id, created_at, updated_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)`,
        [repositoryId * 1000 + number, repositoryId, number, `Issue ${number}`, author.githubAccountId, at(daysAgo)],
      );
    }
    await db.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, created_at, updated_at) VALUES ($1, $2, 3, 'Faster CUDA kernel', 'open', $3, false, $4, $4)`,
      [repositoryId * 1000 + 3, repositoryId, free.githubAccountId, at(10)],
    );

    browser = await launchConsoleBrowser({ acceptDownloads: true });
    page = browser.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`${response.status()} ${response.url()}`);
    });
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    if (pageErrors.length) console.error(pageErrors.join('\n'));
    await page?.screenshot({ path: join(ARTIFACTS, '19-funnel-last.png'), fullPage: true });
    await closeConsoleParts({ browser, api, sim, db, env });
  });

  it('signs in as the admin through GitHub (the simulator)', async () => {
    await signInFromConsole(page, origin);
    expect(await page.getByTestId('viewer-roles').textContent()).toContain('Admin');
  }, TEST_TIMEOUT);

  it('reads the funnel the api answers, and follows the non-paying and organisation filters', async () => {
    await page.getByRole('menuitem', { name: 'Funnel' }).click();
    await page.waitForURL(`${origin}/console/funnel`);
    const all = await apiFunnel('');
    expect(all.entered).toBeGreaterThan(0);
    expect(all.steps.map((step) => step.stage)).toEqual([...STAGES]);
    await expectShown(all);
    await page.locator('canvas').first().waitFor(); // the ECharts funnel
    await page.waitForTimeout(600); // its entry animation (300 ms), for the screenshot
    expect(pageErrors).toEqual([]);
    await page.getByText('Reporters without a pull request').first().waitFor();
    await page.getByRole('cell', { name: 'reporter', exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '10-funnel.png'), fullPage: true });

    await page.getByRole('checkbox', { name: 'Non-paying only' }).check();
    const nonPaying = await apiFunnel(', nonPayingOnly: true');
    expect(nonPaying.entered).not.toBe(all.entered); // the filter changes the numbers, so the page must follow
    await expectShown(nonPaying);
    await page.screenshot({ path: join(ARTIFACTS, '11-funnel-non-paying.png'), fullPage: true });

    await page.getByRole('combobox', { name: 'Organisation' }).click();
    await page.getByTitle('OpenLab').click();
    const openLab = await apiFunnel(`, nonPayingOnly: true, organization: "${openLabId}"`);
    expect(openLab.entered).not.toBe(nonPaying.entered);
    await expectShown(openLab);
  }, TEST_TIMEOUT);

  it('exports the funnel shown as CSV', async () => {
    const shown = await apiFunnel(`, nonPayingOnly: true, organization: "${openLabId}"`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).first().click()]);
    const file = await download.path();
    const rows = Papa.parse<string[]>(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows[0]).toEqual(['Stage', 'Reached', 'Now at stage', 'Conversion to next']);
    expect(rows.slice(1).map((row) => [Number(row[1]), Number(row[2]), row[3] === '' ? null : Number(row[3])])).toEqual(
      shown.steps.map((step) => [step.reached, step.current, step.conversionToNext]),
    );
  }, TEST_TIMEOUT);

  it('asks for one page of cohort rows, and exports every row as CSV', async () => {
    // a fresh load of the page: its cohort table asks for its first page only
    const pageAsked = page.waitForRequest(
      (request) => new URL(request.url()).pathname === '/graphql' && request.postDataJSON()?.operationName === 'CohortPage',
      { timeout: 60_000 },
    );
    await page.reload();
    const variables = (await pageAsked).postDataJSON().variables as { ecosystem: string; weeks: number[]; from?: string; to?: string; first: number; offset: number };
    expect(variables).toMatchObject({ ecosystem: 'rwkv', first: 20, offset: 0 });
    // every row, as the api answers the same cohorts
    const all = (
      (await page.evaluate(
        async ({ query, asked }) => {
          const response = await fetch('/graphql', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query, variables: { ecosystem: asked.ecosystem, weeks: asked.weeks, from: asked.from ?? null, to: asked.to ?? null } }),
          });
          return response.json();
        },
        {
          query: `query All($ecosystem: String!, $weeks: [Int!]!, $from: DateTime, $to: DateTime) {
            cohorts(ecosystem: $ecosystem, weeks: $weeks, from: $from, to: $to) { month weeks size pending stages { stage count } } }`,
          asked: variables,
        },
      )) as { data: { cohorts: Array<{ month: string; weeks: number; size: number; pending: number; stages: Array<{ stage: string; count: number }> }> } }
    ).data.cohorts;
    expect(all.length).toBeGreaterThan(0);
    // header + the rows of the first page
    await page.getByTestId('cohort-table').getByRole('row').nth(Math.min(all.length, variables.first)).waitFor({ timeout: 60_000 });

    const exportAsked = page.waitForRequest((request) => new URL(request.url()).pathname === '/graphql' && request.postDataJSON()?.operationName === 'CohortsExport');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).nth(1).click()]);
    expect((await exportAsked).postDataJSON().variables).toMatchObject({ ecosystem: 'rwkv', weeks: variables.weeks });
    const rows = Papa.parse<string[]>(readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(rows[0].slice(0, 4)).toEqual(['Month', 'Weeks after', 'Members', 'Pending']);
    expect(rows.slice(1).map((row) => [row[0], Number(row[1]), Number(row[2]), Number(row[3])])).toEqual(
      all.map((cohort) => [cohort.month.slice(0, 7), cohort.weeks, cohort.size, cohort.pending]),
    );
    expect(pageErrors).toEqual([]);
  }, TEST_TIMEOUT);

  it('ranks the leaderboard as the api does, and re-scores it with the weights set', async () => {
    type Board = { entries: Array<{ rank: number; score: number; member: { login: string } }> };
    const ask = async (weights: string) =>
      ((await page.evaluate(async (query) => {
        const csrf = /(?:^|; )cambrian_csrf=([^;]*)/.exec((globalThis as unknown as { document: { cookie: string } }).document.cookie)?.[1] ?? '';
        const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: JSON.stringify({ query }) });
        return response.json();
      }, `{ leaderboard(first: 10${weights}) { entries { rank score member { login } } } }`)) as { data: { leaderboard: Board } }).data.leaderboard;
    const expectScores = async (board: Board) => {
      for (const entry of board.entries) {
        await page.waitForFunction(
          ([id, score]) => (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector(`[data-testid="${id}"]`)?.textContent === score,
          [`score-${entry.member.login}`, String(entry.score)],
        );
      }
    };
    await page.getByRole('menuitem', { name: 'Leaderboards' }).click();
    await page.waitForURL(`${origin}/console/leaderboard`);
    const defaults = await ask('');
    expect(defaults.entries.length).toBeGreaterThan(0);
    await expectScores(defaults);
    await page.getByLabel('Commits').fill('20');
    await page.getByRole('button', { name: 'Apply weights' }).click();
    const weighted = await ask(', weights: { commits: 20 }');
    expect(weighted.entries.map((entry) => entry.score)).not.toEqual(defaults.entries.map((entry) => entry.score));
    await expectScores(weighted);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, '13-leaderboard.png'), fullPage: true });
  }, TEST_TIMEOUT);

  it('shows where issues and pull requests wait as the api answers, and lists the items of a step', async () => {
    const answer = (await page.evaluate(async (query) => {
      const csrf = /(?:^|; )cambrian_csrf=([^;]*)/.exec((globalThis as unknown as { document: { cookie: string } }).document.cookie)?.[1] ?? '';
      const response = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) }, body: JSON.stringify({ query }) });
      return response.json();
    }, '{ itemFlow(ecosystem: "rwkv") { steps { kind step count } } communityMetrics(ecosystem: "rwkv") { newContributors { count } contributorAbsenceFactor { factor } } }')) as {
      data: { itemFlow: { steps: Array<{ kind: string; step: string; count: number }> }; communityMetrics: { newContributors: { count: number }; contributorAbsenceFactor: { factor: number } } };
    };
    await page.getByRole('menuitem', { name: 'Health' }).click();
    await page.waitForURL(`${origin}/console/health`);
    const labels: Record<string, string> = { ISSUE: 'Issue', PULL_REQUEST: 'Pull request', NO_RESPONSE: 'No response' };
    expect(answer.data.itemFlow.steps.length).toBeGreaterThan(0);
    const flow = page.locator('.ant-card').filter({ hasText: 'Where issues and pull requests wait' });
    for (const step of answer.data.itemFlow.steps) {
      const row = flow.getByRole('row').filter({ hasText: labels[step.kind] }).filter({ hasText: labels[step.step] ?? step.step });
      await row.getByRole('cell', { name: String(step.count), exact: true }).first().waitFor();
    }
    const newContributors = page.locator('.ant-card').filter({ hasText: 'New contributors' }).locator('.ant-statistic-content-value');
    expect(await newContributors.first().textContent()).toBe(String(answer.data.communityMetrics.newContributors.count));
    await flow.getByRole('row').filter({ hasText: 'Pull request' }).filter({ hasText: 'No response' }).getByRole('radio').check();
    await flow.getByText('Pull request · No response').waitFor();
    await flow.getByRole('cell', { name: 'BlinkDL/RWKV-LM#3' }).waitFor();
    expect(await flow.getByRole('cell', { name: 'BlinkDL/RWKV-LM#1' }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, '15-health.png'), fullPage: true });
  }, TEST_TIMEOUT);

  it('shows the Funnel, Leaderboards and Community health pages in Simplified Chinese', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('menuitem', { name: '漏斗' }).click();
    await page.getByText('漏斗与同期群').first().waitFor();
    await page.getByText('阶段漏斗').waitFor();
    await page.keyboard.press('Escape');
    await page.waitForTimeout(600); // the chart's animation, for the screenshot
    await page.screenshot({ path: join(ARTIFACTS, '12-funnel-zh.png'), fullPage: true });
    await page.getByRole('menuitem', { name: '排行榜' }).click();
    await page.getByText('计分权重').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '14-leaderboard-zh.png'), fullPage: true });
    await page.getByRole('menuitem', { name: '社区健康' }).click();
    await page.getByText('议题与拉取请求卡在哪里').waitFor();
    await page.getByText('首次响应时间').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '16-health-zh.png'), fullPage: true });
  }, TEST_TIMEOUT);
});
