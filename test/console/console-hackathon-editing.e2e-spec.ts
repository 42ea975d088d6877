import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { Locator, Page } from 'playwright-core';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { QueueModule } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { HackathonsProcessorModule } from '../../apps/worker/src/processors/hackathons-processor.module.js';
import { GraphqlClient } from '../e2e/graphql-client.js';
import { createHackathonAt, HACKATHON_OPS } from '../e2e/hackathon-helpers.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ARTIFACTS,
  chooseOption,
  closeConsoleParts,
  launchConsoleBrowser,
  originOf,
  screenshotOnFailure,
  SETUP_TIMEOUT,
  signInFromConsole,
  startConsoleEnv,
  TEST_TIMEOUT,
  WORKER_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

const SLUG = 'rwkv-edit-hack';

describe('console in Chromium: an organiser edits and deletes resources, requests and criteria, and assigns judges by hand', () => {
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

  const gql = (query: string, variables: Record<string, unknown> = {}) => client.data(query, variables, { token });
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `hackathon-editing-${name}.png`), fullPage: true });
  /** The rows holding `text` in the card titled exactly `card` (the innermost card: the page's own card holds the tabs). */
  const row = (card: string, text: string): Locator =>
    page
      .locator('.ant-card-head-title', { hasText: new RegExp(`^${card}$`) })
      .locator('xpath=ancestor::div[contains(concat(" ", @class, " "), " ant-card ")][1]')
      .getByRole('row')
      .filter({ hasText: text });
  /** Confirms the open Popconfirm with its button named `name`. */
  const confirm = (name: string) => page.getByRole('tooltip').getByRole('button', { name }).click();

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

    // through the api: two teams, three resources, four requests, a published run, submissions, judges and criteria
    const hackathonId = await createHackathonAt(client, token, { eco: 'rwkv', slug: SLUG, min: 1, max: 4 }, 'REGISTRATION_OPEN');
    for (const login of ['ada-rwkv', 'ben-rwkv', 'cho-rwkv', 'dan-rwkv', 'eve-rwkv']) await createMember(db, { login });
    for (const login of ['ada-rwkv', 'ben-rwkv', 'cho-rwkv']) await gql(HACKATHON_OPS.register, { id: hackathonId, member: login });
    const alpha = (await gql(HACKATHON_OPS.createTeam, { id: hackathonId, member: 'ada-rwkv', name: 'Alpha' })).createTeam;
    await gql(HACKATHON_OPS.join, { code: alpha.inviteCode, member: 'ben-rwkv' });
    const bravo = (await gql(HACKATHON_OPS.createTeam, { id: hackathonId, member: 'cho-rwkv', name: 'Bravo' })).createTeam;
    const resource = async (input: Record<string, unknown>) =>
      (await gql(`mutation($h: ID!, $i: CreateResourceInput!) { createResource(hackathonId: $h, input: $i) { id } }`, { h: hackathonId, i: input })).createResource.id;
    const a100 = await resource({ kind: 'GPU_HOURS', name: 'A100 hours', sponsor: 'RWKV Foundation', capacity: 6, perTeamMax: 4 });
    const corpus = await resource({ kind: 'DATASET', name: 'Pile subset', capacity: 2, perTeamMax: 1 });
    await resource({ kind: 'API_CREDITS', name: 'Inference credits', capacity: 100, perTeamMax: 50 });
    const request = (teamId: string, resourceId: string, amount: number, rank: number) =>
      gql(`mutation($i: CreateResourceRequestInput!) { createResourceRequest(input: $i) { id } }`, { i: { teamId, resourceId, amount, rank } });
    await request(alpha.id, a100, 4, 1);
    await request(alpha.id, corpus, 1, 2);
    await request(bravo.id, a100, 2, 1);
    await request(bravo.id, corpus, 1, 2);
    const run = (await gql(`mutation($h: ID!) { startMatchingRun(hackathonId: $h) { run { id } } }`, { h: hackathonId })).startMatchingRun.run.id;
    const until = Date.now() + WORKER_TIMEOUT;
    while ((await gql(`query($id: ID!) { matchingRun(id: $id) { status } }`, { id: run })).matchingRun.status !== 'DRAFT') {
      if (Date.now() > until) throw new Error(`matching run ${run} did not reach DRAFT`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await gql(`mutation($id: ID!) { publishMatchingRun(id: $id) { run { id } } }`, { id: run });
    await gql(HACKATHON_OPS.status, { id: hackathonId, status: 'RUNNING' });
    await gql(HACKATHON_OPS.save, { team: alpha.id, title: 'Fast RWKV' });
    await gql(HACKATHON_OPS.save, { team: bravo.id, title: 'RWKV on phones' });
    for (const login of ['cho-rwkv', 'dan-rwkv', 'eve-rwkv']) {
      const member = (await gql(`query($l: String!) { memberForLogin(login: $l) { id } }`, { l: login })).memberForLogin.id;
      await gql(`mutation($h: String!, $m: ID!) { addJudge(hackathon: $h, member: $m) { id } }`, { h: SLUG, m: member });
    }
    for (const [name, weight] of [['Impact', 2], ['Craft', 1]] as const) {
      await gql(`mutation($h: String!, $n: String!, $w: Float!) { createJudgingCriterion(hackathon: $h, name: $n, weight: $w) { id } }`, { h: SLUG, n: name, w: weight });
    }

    browser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    page = browser.page;
  }, SETUP_TIMEOUT + WORKER_TIMEOUT);

  afterAll(async () => {
    await closeConsoleParts({ browser, worker, api, sim, db, env });
  });

  it('shows what the published run allocated of each resource and what is left, and edits a resource', async () => {
    await signInFromConsole(page, origin);
    await page.goto(`${origin}/console/hackathons?ecosystem=rwkv&hackathon=${SLUG}`);
    await page.getByRole('tab', { name: 'Resources and requests' }).click();
    await page.getByText('Allocated: units of the published matching run').waitFor();
    const published = (await gql(`query($s: String!) { hackathon(slug: $s) { publishedMatchingRun { allocations { resourceId units } } resources { id name } } }`, { s: SLUG })).hackathon;
    const a100 = published.resources.find((item: { name: string }) => item.name === 'A100 hours').id;
    const allocated = published.publishedMatchingRun.allocations
      .filter((item: { resourceId: string }) => item.resourceId === a100)
      .reduce((sum: number, item: { units: number }) => sum + item.units, 0);
    expect(allocated).toBeGreaterThan(0);
    const a100Row = row('Resources', 'A100 hours');
    await a100Row.getByRole('cell', { name: String(allocated), exact: true }).first().waitFor();
    await shot('01-resources');

    // a name another resource holds: the api refuses and the form stays open with its message
    await a100Row.getByRole('button', { name: /Edit/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit resource A100 hours' });
    await dialog.getByLabel('Resource').fill('Pile subset');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/The api refused: .*already exists/).waitFor();
    await shot('02-resource-name-taken');

    // a capacity emptied is caught by the form before anything is sent
    await dialog.getByLabel('Resource').fill('A100 hours');
    await dialog.getByLabel('Capacity').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('Enter the units in all (0 or more).').waitFor();

    // the capacity lowered below what was published: the table shows the excess
    await dialog.getByLabel('Capacity').fill(String(allocated - 1));
    await dialog.getByLabel('Sponsor').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Resource A100 hours saved.').waitFor();
    await a100Row.getByText('1 over').waitFor();
    const edited = (await gql(`query($s: String!) { hackathon(slug: $s) { resources { name capacity sponsor perTeamMax } } }`, { s: SLUG })).hackathon.resources;
    expect(edited.find((item: { name: string }) => item.name === 'A100 hours')).toEqual({ name: 'A100 hours', capacity: allocated - 1, sponsor: null, perTeamMax: 4 });
    await shot('03-resource-edited');
  }, TEST_TIMEOUT);

  it('deletes a resource, and edits and withdraws teams’ requests on their behalf', async () => {
    await row('Resources', 'Inference credits').getByRole('button', { name: /Delete/ }).click();
    await page.getByText('Delete Inference credits?').waitFor();
    await confirm('Delete');
    await page.getByText('Resource Inference credits deleted.').waitFor();
    await row('Resources', 'Inference credits').waitFor({ state: 'detached' });

    // Alpha's first request: a rank Alpha already uses is refused by the api, then the amount is changed
    const alphaFirst = row("Teams' requests", 'Alpha').filter({ hasText: 'A100 hours' });
    await alphaFirst.getByRole('button', { name: /Edit/ }).click();
    const dialog = page.getByRole('dialog', { name: "Edit Alpha's request" });
    await dialog.getByLabel('Rank').fill('2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/The api refused: .*rank 2/).waitFor();
    await dialog.getByLabel('Rank').fill('1');
    await dialog.getByLabel('Units').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText("Alpha's request saved.").waitFor();

    const bravoSecond = row("Teams' requests", 'Bravo').filter({ hasText: 'Pile subset' });
    await bravoSecond.getByRole('button', { name: /Withdraw/ }).click();
    await confirm('Withdraw');
    await page.getByText("Bravo's request withdrawn.").waitFor();
    await bravoSecond.waitFor({ state: 'detached' });
    const teams = (await gql(`query($s: String!) { hackathon(slug: $s) { resources { name } teams { name resourceRequests { rank amount } } } }`, { s: SLUG })).hackathon;
    expect(teams.resources.map((item: { name: string }) => item.name).sort()).toEqual(['A100 hours', 'Pile subset']);
    expect(teams.teams).toEqual([
      { name: 'Alpha', resourceRequests: [{ rank: 1, amount: 3 }, { rank: 2, amount: 1 }] },
      { name: 'Bravo', resourceRequests: [{ rank: 1, amount: 2 }] },
    ]);
    await shot('04-requests-edited');
  }, TEST_TIMEOUT);

  it('edits a criterion (its scale checked first) and deletes another', async () => {
    await page.getByRole('tab', { name: 'Judges and judging' }).click();
    await row('Criteria', 'Impact').getByRole('button', { name: /Edit/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit criterion Impact' });
    await dialog.getByLabel('From', { exact: true }).fill('5');
    await dialog.getByLabel('To', { exact: true }).fill('1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText('The highest value must be greater than the lowest (5).').waitFor();
    await shot('05-criterion-scale');
    await dialog.getByLabel('From', { exact: true }).fill('1');
    await dialog.getByLabel('To', { exact: true }).fill('5');
    await dialog.getByLabel('Weight').fill('3');
    await dialog.getByLabel('Description').fill('Who benefits, and how much');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Criterion Impact saved.').waitFor();
    await row('Criteria', 'Impact').getByRole('cell', { name: '1–5' }).waitFor();

    await row('Criteria', 'Craft').getByRole('button', { name: /Delete/ }).click();
    await confirm('Delete');
    await page.getByText('Criterion Craft deleted.').waitFor();
    await row('Criteria', 'Craft').waitFor({ state: 'detached' });
    const criteria = (await gql(`query($s: String!) { hackathon(slug: $s) { judgingCriteria { name description weight scaleMin scaleMax } } }`, { s: SLUG })).hackathon.judgingCriteria;
    expect(criteria).toEqual([{ name: 'Impact', description: 'Who benefits, and how much', weight: 3, scaleMin: 1, scaleMax: 5 }]);
    await shot('06-criteria-edited');
  }, TEST_TIMEOUT);

  it('assigns judges by hand (a conflict of interest refused), unassigns one and removes a judge', async () => {
    await page.getByText('No assignments yet: assign judges by hand or automatically.').waitFor();
    const assign = async (judge: string, submission: string) => {
      await page.getByRole('button', { name: /Assign a judge/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Assign a judge to a submission' });
      await chooseOption(page, dialog.getByLabel('Judge'), judge);
      await chooseOption(page, dialog.getByLabel('Submission'), new RegExp(`^${submission}`));
      await dialog.getByRole('button', { name: 'Assign' }).click();
      return dialog;
    };
    // cho-rwkv is Bravo's captain: judging Bravo's submission is a conflict of interest
    const refused = await assign('cho-rwkv', 'RWKV on phones');
    await screenshotOnFailure(page, 'hackathon-editing-07-failed.png', () => page.getByText(/The api refused: conflict of interest: judge .*cho-rwkv/).waitFor());
    await shot('07-assign-conflict');
    await refused.getByRole('button', { name: 'Cancel' }).click();

    await assign('dan-rwkv', 'Fast RWKV');
    await page.getByText('dan-rwkv now judges Fast RWKV.').waitFor();
    await assign('eve-rwkv', 'RWKV on phones');
    await page.getByText('eve-rwkv now judges RWKV on phones.').waitFor();
    await row('Who judges what', 'eve-rwkv').waitFor();
    await shot('08-assigned');

    await row('Who judges what', 'dan-rwkv').getByRole('button', { name: /Unassign/ }).click();
    await confirm('Unassign');
    await page.getByText('dan-rwkv no longer judges Fast RWKV.').waitFor();
    await row('Who judges what', 'dan-rwkv').waitFor({ state: 'detached' });

    await row('Judges', 'eve-rwkv').getByRole('button', { name: /Remove/ }).click();
    await page.getByText('Remove judge eve-rwkv? Their assignments and scores are deleted.').waitFor();
    await confirm('Remove');
    await page.getByText('eve-rwkv is no longer a judge.').waitFor();
    await page.getByText('No assignments yet: assign judges by hand or automatically.').waitFor();
    const judging = (await gql(`query($s: String!) { hackathon(slug: $s) { judges { member { login } } judgeAssignments { judgeId } } }`, { s: SLUG })).hackathon;
    expect(judging).toEqual({ judges: [{ member: { login: 'cho-rwkv' } }, { member: { login: 'dan-rwkv' } }], judgeAssignments: [] });
    await shot('09-judge-removed');
  }, TEST_TIMEOUT);
});
