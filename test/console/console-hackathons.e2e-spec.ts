import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { HackathonsProcessorModule } from '../../apps/worker/src/processors/hackathons-processor.module.js';
import { GraphqlClient } from '../e2e/graphql-client.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ARTIFACTS,
  chooseOption,
  closeConsoleParts,
  launchConsoleBrowser,
  originOf,
  SETUP_TIMEOUT,
  signInFromConsole,
  startConsoleEnv,
  switchLanguage,
  TEST_TIMEOUT,
  WORKER_TEST_TIMEOUT,
  WORKER_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

const SLUG = 'rwkv-winter-hack';

describe('console in Chromium: an admin creates a hackathon, runs matching on the teams and requests set up through the api, reads the draft and publishes it', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let db: pg.Pool;
  let client: GraphqlClient;
  let token: string;
  let browser: ConsoleBrowser;
  let page: Page;
  let origin: string;
  let hackathonId: string;

  const gql = (query: string, variables: Record<string, unknown> = {}) => client.data(query, variables, { token });
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `hackathons-${name}.png`), fullPage: true });

  beforeAll(async () => {
    ({ env, sim } = await startConsoleEnv());
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    origin = originOf(api);
    token = (await api.get(ApiTokenService, { strict: false }).create({ name: 'console e2e organiser', role: 'admin' })).secret;
    const workerModule = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, HackathonsProcessorModule] }).compile();
    workerModule.useLogger(false);
    worker = await workerModule.init();
    await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    browser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    page = browser.page;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await closeConsoleParts({ browser, worker, api, sim, db, env });
  });

  it('signs in as the admin through GitHub (the simulator) and finds no hackathon yet', async () => {
    await signInFromConsole(page, origin);
    expect(await page.getByTestId('viewer-roles').textContent()).toContain('Admin');
    await page.getByRole('menuitem', { name: 'Hackathons' }).click();
    await page.waitForURL(`${origin}/console/hackathons`);
    await page.getByText('This ecosystem has no hackathons yet.').waitFor();
    await shot('01-empty');
  }, TEST_TIMEOUT);

  it('creates a hackathon in DRAFT with the form, and opens its registration', async () => {
    await page.getByRole('button', { name: /New hackathon/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('RWKV Winter Hack');
    await dialog.getByLabel('Slug').fill('Not A Slug');
    await dialog.getByLabel('Description').click(); // leaves the slug: its rule shows before anything is sent
    await dialog.getByText('1–63 lower-case letters, digits and hyphens').waitFor();
    await dialog.getByLabel('Slug').fill(SLUG);
    const window = dialog.locator('.ant-form-item').filter({ hasText: 'Event window' });
    await window.getByPlaceholder('Start date').click();
    await window.getByPlaceholder('Start date').fill('2026-12-01 00:00');
    await window.getByPlaceholder('Start date').press('Enter');
    await window.getByPlaceholder('End date').fill('2026-12-15 00:00');
    await window.getByPlaceholder('End date').press('Enter');
    await dialog.getByLabel('Largest team').fill('4');
    await shot('02-create-form');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByText(`Hackathon ${SLUG} created as a draft.`).waitFor();
    await page.waitForURL((url) => url.searchParams.get('hackathon') === SLUG);
    await page.getByRole('heading', { name: 'RWKV Winter Hack' }).waitFor();
    await page.getByText('1–4 members per team').first().waitFor();

    const created = (await gql(`query($slug: String!) { hackathon(slug: $slug) { id status startsAt endsAt maxTeamSize } }`, { slug: SLUG })).hackathon;
    expect(created).toMatchObject({ status: 'DRAFT', startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2026-12-15T00:00:00.000Z', maxTeamSize: 4 });
    hackathonId = created.id;

    // edit: a description added, the rest kept
    await page.getByRole('button', { name: /Edit/ }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Description').fill('Two weeks of building on RWKV.');
    await drawer.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Changes saved.').waitFor();
    // the hackathon's details, not the closing drawer's textarea (still in the page while its animation runs)
    await page.locator('.ant-descriptions').getByText('Two weeks of building on RWKV.').waitFor();
    const edited = (await gql(`query($slug: String!) { hackathon(slug: $slug) { description startsAt maxTeamSize } }`, { slug: SLUG })).hackathon;
    expect(edited).toEqual({ description: 'Two weeks of building on RWKV.', startsAt: '2026-12-01T00:00:00.000Z', maxTeamSize: 4 });

    await page.getByRole('button', { name: /Move to Registration open/ }).click();
    await page.getByRole('button', { name: 'Move on' }).click();
    await page.getByText('The hackathon is now Registration open.').waitFor();
    await shot('03-created');
  }, TEST_TIMEOUT);

  it('shows the registrations, teams, resources and requests the api was given', async () => {
    const logins = ['ada-rwkv', 'ben-rwkv', 'cho-rwkv'];
    for (const login of logins) {
      await createMember(db, { login });
      await gql(`mutation($h: ID!, $m: String!) { registerForHackathon(hackathonId: $h, member: $m, skills: ["cuda"]) { id } }`, { h: hackathonId, m: login });
    }
    const team = async (name: string, captain: string) =>
      (await gql(`mutation($h: ID!, $m: String!, $n: String!) { createTeam(hackathonId: $h, member: $m, name: $n) { id inviteCode } }`, { h: hackathonId, m: captain, n: name })).createTeam;
    const alpha = await team('Alpha', 'ada-rwkv');
    await gql(`mutation($c: String!) { joinTeam(inviteCode: $c, member: "ben-rwkv") { id } }`, { c: alpha.inviteCode });
    const bravo = await team('Bravo', 'cho-rwkv');
    const resource = async (input: Record<string, unknown>) =>
      (await gql(`mutation($h: ID!, $i: CreateResourceInput!) { createResource(hackathonId: $h, input: $i) { id } }`, { h: hackathonId, i: input })).createResource.id;
    const a100 = await resource({ kind: 'GPU_HOURS', name: 'A100 hours', sponsor: 'RWKV Foundation', capacity: 6, perTeamMax: 4 });
    const corpus = await resource({ kind: 'DATASET', name: 'Pile subset', capacity: 2, perTeamMax: 1, eligibilityMinTeamSize: 2 });
    const request = (teamId: string, resourceId: string, amount: number, rank: number) =>
      gql(`mutation($i: CreateResourceRequestInput!) { createResourceRequest(input: $i) { id } }`, { i: { teamId, resourceId, amount, rank } });
    await request(alpha.id, a100, 4, 1);
    await request(alpha.id, corpus, 1, 2);
    await request(bravo.id, corpus, 1, 1);
    await request(bravo.id, a100, 4, 2);

    await page.reload();
    await page.getByRole('tab', { name: 'Registrations' }).click();
    await page.getByText('3 active registrations').waitFor();
    await page.getByRole('cell', { name: 'cho-rwkv' }).waitFor();
    await page.getByRole('tab', { name: 'Teams' }).click();
    await page.getByRole('cell', { name: 'Alpha' }).waitFor();
    await page.getByText('ada-rwkv · captain').waitFor();
    await shot('04-teams');
    await page.getByRole('tab', { name: 'Resources and requests' }).click();
    await page.getByRole('cell', { name: 'RWKV Foundation' }).waitFor();
    await page.getByText('≥ 2 members').waitFor();
    await shot('05-resources');
  }, TEST_TIMEOUT);

  it('starts a matching run, follows it to a draft and shows each team its explanation', async () => {
    await page.getByRole('tab', { name: 'Matching' }).click();
    await page.getByText('No matching run yet').waitFor();
    await page.getByRole('button', { name: /Start a matching run/ }).click();
    await page.getByText('Matching run queued').waitFor();
    // the page refreshes itself until the worker stored the draft
    const runs = page.locator('.ant-table').first();
    await runs.getByText('Draft', { exact: true }).waitFor({ timeout: WORKER_TIMEOUT });
    const explanations = page.locator('.ant-card').filter({ hasText: /Run of .* — Draft/ });
    // Bravo has one member: the dataset is for teams of two or more, and the draft says so
    const bravo = explanations.getByRole('row').filter({ hasText: 'Bravo' }).first();
    await bravo.getByText('team too small').waitFor();
    await bravo.getByText('Pile subset (rank 1): not eligible').waitFor();
    await bravo.getByText('A100 hours (rank 2): 2 of 4').waitFor();
    await bravo.getByText('resource used up').waitFor();
    await explanations.getByText(/got \d+ .*\(rank \d\)/).first().waitFor(); // the api's explanation, unfolded
    const draft = (await gql(`query($h: ID!) { matchingRuns(hackathonId: $h) { status explanations { teamName text } } }`, { h: hackathonId })).matchingRuns[0];
    expect(draft.status).toBe('DRAFT');
    for (const explanation of draft.explanations) await explanations.getByText(explanation.text, { exact: true }).waitFor();
    await shot('06-draft');

    // the organiser pins Bravo's A100 hours at 3: a new run re-solves around the pin and its draft replaces this one
    await bravo.getByRole('button', { name: /Pin/ }).click();
    const pinDialog = page.getByRole('dialog');
    await chooseOption(page, pinDialog.getByLabel('Resource'), 'A100 hours');
    await pinDialog.getByLabel('Units').fill('3');
    await pinDialog.getByRole('button', { name: 'Pin' }).click();
    await page.getByText('Pinned for Bravo: a new run solves the rest.').waitFor();
    await page.locator('.ant-table').first().getByText('Superseded', { exact: true }).waitFor({ timeout: WORKER_TIMEOUT });
    const repinned = page.locator('.ant-card').filter({ hasText: /Run of .* — Draft/ }).getByRole('row').filter({ hasText: 'Bravo' }).first();
    await repinned.getByText('A100 hours × 3 (rank 2) · pinned').waitFor({ timeout: WORKER_TIMEOUT });
    await shot('06-draft-pinned');
  }, WORKER_TEST_TIMEOUT);

  it('reads the draft in Chinese and publishes it: each team is notified once', async () => {
    await switchLanguage(page, '简体中文');
    await page.getByRole('tab', { name: '资源匹配' }).waitFor();
    const explanations = page.locator('.ant-card').filter({ hasText: /的匹配 — 草稿/ });
    await explanations.getByText('队伍人数不足').waitFor();
    await shot('07-draft-zh');
    await explanations.getByRole('button', { name: /发\s?布/ }).click();
    await page.getByRole('tooltip').getByRole('button', { name: /发\s?布/ }).click();
    await page.getByText('已发布：通知了 2 支队伍。').waitFor();
    await page.locator('.ant-table').first().getByText('已发布', { exact: true }).waitFor();
    const published = (await gql(`query($slug: String!) { hackathon(slug: $slug) { publishedMatchingRun { status } teams { notifications { id } } } }`, { slug: SLUG })).hackathon;
    expect(published.publishedMatchingRun.status).toBe('PUBLISHED');
    expect(published.teams.map((team: { notifications: unknown[] }) => team.notifications.length)).toEqual([1, 1]);
    await shot('08-published-zh');
  }, TEST_TIMEOUT);

  it('shows submissions, judging (a judge added by login), results and retention, in Chinese', async () => {
    await page.getByRole('tab', { name: '作品' }).click();
    await page.getByText('还没有作品。').waitFor();
    await shot('09-submissions-zh');
    await page.getByRole('tab', { name: '评委与评审' }).click();
    await page.getByText('还没有评委：请按 GitHub 登录名添加。').waitFor();
    await page.getByPlaceholder('GitHub 登录名').fill('nobody-here');
    await page.getByRole('button', { name: /添加评委/ }).click();
    await page.getByText('没有成员使用 GitHub 登录名 nobody-here。').waitFor();
    await page.getByPlaceholder('GitHub 登录名').fill('cho-rwkv');
    await page.getByRole('button', { name: /添加评委/ }).click();
    await page.getByText('cho-rwkv 已成为评委。').waitFor();
    await page.getByRole('cell', { name: 'cho-rwkv' }).waitFor();
    await shot('10-judging-zh');
    await page.getByRole('tab', { name: '结果' }).click();
    await page.getByText('还没有结果').waitFor();
    await page.getByRole('tab', { name: '留存' }).click();
    await page.getByText('首次贡献者（活动期间）').waitFor();
    await shot('11-retention-zh');
    await page.getByRole('button', { name: /全部黑客松/ }).click();
    await page.getByText('共 1 场黑客松').waitFor();
    await page.getByRole('cell', { name: /RWKV Winter Hack/ }).waitFor();
    await shot('12-list-zh');
    const judges = (await gql(`query($slug: String!) { hackathon(slug: $slug) { judges { member { login } } } }`, { slug: SLUG })).hackathon.judges;
    expect(judges).toEqual([{ member: { login: 'cho-rwkv' } }]);
  }, TEST_TIMEOUT);

  it("opens a registered member's page from the registrations and sees the hackathon there, with team and allocation, in Chinese", async () => {
    await page.getByRole('cell', { name: /RWKV Winter Hack/ }).getByText('RWKV Winter Hack').click();
    await page.getByRole('tab', { name: '报名' }).click();
    await page.getByRole('link', { name: 'ada-rwkv' }).click();
    await page.waitForURL((url) => url.pathname === '/console/members' && url.searchParams.has('member'));
    const section = page.getByTestId('member-hackathons');
    await section.getByText('黑客松（1）').waitFor();
    const row = section.getByRole('row').filter({ hasText: 'RWKV Winter Hack' });
    await row.getByText('报名中').waitFor();
    await row.getByText('已报名', { exact: true }).waitFor();
    await row.getByText('Alpha').waitFor();
    await row.getByText('队长').waitFor();
    await row.getByText('尚未公布').waitFor();
    await row.getByText(/^A100 hours × \d+（GPU 时长）$/).waitFor(); // the run published above
    await section.scrollIntoViewIfNeeded(); // the section is at the foot of the member's drawer
    await shot('13-member-hackathons-zh');
    // the hackathon's name leads back to its page
    await row.getByRole('link', { name: 'RWKV Winter Hack' }).click();
    await page.waitForURL((url) => url.pathname === '/console/hackathons' && url.searchParams.get('hackathon') === SLUG);
    await page.getByRole('heading', { name: 'RWKV Winter Hack' }).waitFor();
  }, TEST_TIMEOUT);
});
