import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { ApiTokenService } from '#libs/auth';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { GraphqlClient } from '../e2e/graphql-client.js';
import { createEcosystem, createMember } from '../helpers/factories.js';
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
  type ConsoleBrowser,
} from './console-harness.js';

/** A GitHub user of the simulator's RWKV data who is not an admin: the judge. */
const JUDGE = 'josStorer';
const SLUG = 'rwkv-judging-hack';
const LATER = 'rwkv-spring-hack';

describe('console in Chromium: a judge signs in through GitHub, scores the submission assigned to them, and the organiser sees the progress', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let db: pg.Pool;
  let client: GraphqlClient;
  let token: string;
  let judgeBrowser: ConsoleBrowser;
  let adminBrowser: ConsoleBrowser;
  let page: Page;
  let origin: string;
  let ecosystemId: number;
  const submissions: Record<string, string> = {};
  const criteria: Record<string, string> = {};

  const gql = (query: string, variables: Record<string, unknown> = {}) => client.data(query, variables, { token });
  const shot = (target: Page, name: string) => target.screenshot({ path: join(ARTIFACTS, `judging-${name}.png`), fullPage: true });

  /** A hackathon in `status` from `startsAt` (two weeks) with one team and submission per title (each team one member of its own). */
  async function hackathonWith(slug: string, name: string, status: 'running' | 'judging', startsAt: string, titles: Record<string, string>) {
    const { rows } = await db.query(
      `INSERT INTO hackathon (ecosystem_id, slug, name, status, starts_at, ends_at)
       VALUES ($1, $2, $3, $4, $5, $5::timestamptz + interval '14 days') RETURNING id`,
      [ecosystemId, slug, name, status, startsAt],
    );
    for (const [team, title] of Object.entries(titles)) {
      const teamRow = await db.query(`INSERT INTO team (hackathon_id, name, invite_code) VALUES ($1, $2, $3) RETURNING id`, [rows[0].id, team, `${slug}-${team}`]);
      const member = await createMember(db, { login: `${team.toLowerCase()}-${slug}` });
      await db.query(`INSERT INTO team_member (team_id, hackathon_id, member_id) VALUES ($1, $2, $3)`, [teamRow.rows[0].id, rows[0].id, member.memberId]);
      const submission = await db.query(`INSERT INTO submission (hackathon_id, team_id, title, repository_url) VALUES ($1, $2, $3, $4) RETURNING id`, [
        rows[0].id,
        teamRow.rows[0].id,
        title,
        `https://github.com/${team.toLowerCase()}/${slug}`,
      ]);
      submissions[title] = submission.rows[0].id;
    }
  }

  /** What the judge's own session reads of a GraphQL query, asked from the page (the console's cookie and origin). */
  const asJudge = (query: string) =>
    page.evaluate(async (body) => (await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json(), JSON.stringify({ query }));

  beforeAll(async () => {
    ({ env, sim } = await startConsoleEnv());
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    origin = originOf(api);
    token = (await api.get(ApiTokenService, { strict: false }).create({ name: 'console e2e organiser', role: 'admin' })).secret;
    ecosystemId = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    await hackathonWith(SLUG, 'RWKV Judging Hack', 'judging', '2026-11-01T00:00:00Z', { Alpha: 'Faster RWKV kernels', Beta: 'RWKV on phones' });
    await hackathonWith(LATER, 'RWKV Spring Hack', 'running', '2027-03-01T00:00:00Z', { Gamma: 'RWKV music' });
    judgeBrowser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    page = judgeBrowser.page;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await adminBrowser?.close();
    await closeConsoleParts({ browser: judgeBrowser, api, sim, db, env });
  });

  it('signs in a member who judges nothing: no Judging in the menu, and the page says they are not a judge', async () => {
    await page.goto(`${origin}/console/`);
    await page.getByRole('link', { name: /Sign in with GitHub/ }).click();
    await pickGithubAccount(page, origin, '/console/', JUDGE);
    expect(await page.getByTestId('viewer-login').textContent()).toBe(`Signed in as ${JUDGE}`);
    await page.getByRole('menuitem', { name: 'Hackathons' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Judging' }).count()).toBe(0);
    await page.goto(`${origin}/console/judging`);
    await page.getByText(/You are not a judge of any hackathon\./).waitFor();
    await shot(page, '01-not-a-judge');
  }, TEST_TIMEOUT);

  it('lists only the submissions assigned to the judge, and says when judging has not opened', async () => {
    // the organiser, through the api: criteria, the judge in both hackathons, one submission of each assigned
    criteria.impact = (await gql(`mutation { createJudgingCriterion(hackathon: "${SLUG}", name: "Impact", weight: 2, scaleMin: 1, scaleMax: 10) { id } }`)).createJudgingCriterion.id;
    criteria.craft = (await gql(`mutation { createJudgingCriterion(hackathon: "${SLUG}", name: "Craft", weight: 1, scaleMin: 0, scaleMax: 5) { id } }`)).createJudgingCriterion.id;
    await gql(`mutation { createJudgingCriterion(hackathon: "${LATER}", name: "Originality", weight: 1) { id } }`);
    for (const slug of [SLUG, LATER]) await gql(`mutation($h: String!) { addJudge(hackathon: $h, member: "${JUDGE}") { id } }`, { h: slug });
    await gql(`mutation($s: ID!) { assignJudge(hackathon: "${SLUG}", judge: "${JUDGE}", submission: $s) { judgeId } }`, { s: submissions['Faster RWKV kernels'] });
    await gql(`mutation($s: ID!) { assignJudge(hackathon: "${LATER}", judge: "${JUDGE}", submission: $s) { judgeId } }`, { s: submissions['RWKV music'] });

    await page.reload();
    await page.getByRole('menuitem', { name: 'Judging' }).waitFor();
    const judging = page.getByTestId(`judging-${SLUG}`);
    await judging.getByRole('cell', { name: 'Faster RWKV kernels' }).waitFor();
    await judging.getByRole('cell', { name: 'Alpha', exact: true }).waitFor();
    await judging.getByRole('link', { name: `https://github.com/alpha/${SLUG}` }).waitFor();
    expect(await page.getByTestId(`scoring-state-${submissions['Faster RWKV kernels']}`).textContent()).toBe('Not scored');
    // Beta's submission is not assigned to the judge: not on the page, and not readable through the api either
    expect(await page.getByText('RWKV on phones').count()).toBe(0);
    const readable = await asJudge(`{ hackathon(slug: "${SLUG}") { submissions { title } } }`);
    expect(readable).toEqual({ data: { hackathon: { submissions: [{ title: 'Faster RWKV kernels' }] } } });

    const later = page.getByTestId(`judging-${LATER}`);
    await later.getByText(/Judging opens when the organisers move the hackathon to judging\./).waitFor();
    await later.getByRole('cell', { name: 'RWKV music' }).waitFor();
    expect(await later.getByRole('button', { name: 'Score' }).count()).toBe(0); // a disabled link is no button
    await shot(page, '02-assigned');
  }, TEST_TIMEOUT);

  it('scores the submission within each criterion’s scale, and shows it scored', async () => {
    const row = page.getByTestId(`judging-${SLUG}`).getByRole('row').filter({ hasText: 'Faster RWKV kernels' });
    await row.getByText('Score', { exact: true }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('Impact (1–10, weight 2)').waitFor();
    await drawer.getByLabel('Impact', { exact: true }).fill('11');
    await drawer.getByLabel('Craft', { exact: true }).fill('4');
    await drawer.getByRole('button', { name: 'Save scores' }).click();
    await drawer.getByText('The value must be from 1 to 10.').waitFor();
    await shot(page, '03-out-of-scale');

    await drawer.getByLabel('Impact', { exact: true }).fill('8.5');
    await drawer.getByLabel('Comment on Impact').fill('A clear speed-up on consumer GPUs.');
    await drawer.getByRole('button', { name: 'Save scores' }).click();
    await page.getByText('Your scores for “Faster RWKV kernels” are saved.').waitFor();
    await page.getByTestId(`scoring-state-${submissions['Faster RWKV kernels']}`).getByText('Scored', { exact: true }).waitFor();
    await shot(page, '04-scored');

    const scores = await gql(`{ hackathon(slug: "${SLUG}") { judgeScores(judge: "${JUDGE}") { criterionId value comment } } }`);
    expect(new Map(scores.hackathon.judgeScores.map((score: { criterionId: string }) => [score.criterionId, score]))).toEqual(
      new Map([
        [criteria.impact, { criterionId: criteria.impact, value: 8.5, comment: 'A clear speed-up on consumer GPUs.' }],
        [criteria.craft, { criterionId: criteria.craft, value: 4, comment: '' }],
      ]),
    );
  }, TEST_TIMEOUT);

  it('re-scores: the changed value replaces the earlier one', async () => {
    const row = page.getByTestId(`judging-${SLUG}`).getByRole('row').filter({ hasText: 'Faster RWKV kernels' });
    await row.getByText('Change scores').click();
    const drawer = page.getByRole('dialog');
    expect(await drawer.getByLabel('Impact', { exact: true }).inputValue()).toBe('8.5');
    await drawer.getByLabel('Craft', { exact: true }).fill('3');
    await drawer.getByRole('button', { name: 'Save scores' }).click();
    await page.getByText('Your scores for “Faster RWKV kernels” are saved.').first().waitFor();
    await drawer.waitFor({ state: 'hidden' });
    const scores = await gql(`{ hackathon(slug: "${SLUG}") { judgeScores(judge: "${JUDGE}") { criterionId value } } }`);
    expect(scores.hackathon.judgeScores).toHaveLength(2);
    expect(scores.hackathon.judgeScores.find((score: { criterionId: string }) => score.criterionId === criteria.craft).value).toBe(3);
  }, TEST_TIMEOUT);

  it("shows the judge's scoring in the organiser's judging progress", async () => {
    adminBrowser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    const admin = adminBrowser.page;
    await signInFromConsole(admin, origin);
    await admin.goto(`${origin}/console/hackathons?ecosystem=rwkv&hackathon=${SLUG}`);
    await admin.getByRole('tab', { name: 'Judges and judging' }).click();
    // the judges table's row (the assignments table below it names the judge too): the one with a progress bar
    const judgeRow = admin.getByRole('row').filter({ hasText: JUDGE }).filter({ has: admin.locator('.ant-progress') });
    await judgeRow.waitFor();
    // assigned 1, fully scored 1, partially 0, not started 0
    expect(await judgeRow.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining([JUDGE, '1', '1', '0', '0']));
    // completion 100 %: Ant Design's Progress shows its success state (a check mark) rather than the number
    await judgeRow.locator('.ant-progress-status-success').waitFor();
    await shot(admin, '05-organiser-progress');
  }, TEST_TIMEOUT);

  it("shows the api's refusal once judging has closed, in Chinese", async () => {
    // the organisers finish the hackathon while the judge's page still offers the form
    await db.query(`UPDATE hackathon SET status = 'finished' WHERE slug = $1`, [SLUG]);
    await switchLanguage(page, '简体中文');
    const row = page.getByTestId(`judging-${SLUG}`).getByRole('row').filter({ hasText: 'Faster RWKV kernels' });
    await row.getByText('修改评分').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('Craft', { exact: true }).fill('2');
    await drawer.getByRole('button', { name: '保存评分' }).click();
    await drawer.getByRole('alert').getByText('评审已关闭：黑客松不在评审阶段，api 拒绝了这次评分。').waitFor();
    await shot(page, '06-refused-zh');
    const scores = await gql(`{ hackathon(slug: "${SLUG}") { judgeScores(judge: "${JUDGE}") { criterionId value } } }`);
    expect(scores.hackathon.judgeScores.find((score: { criterionId: string }) => score.criterionId === criteria.craft).value).toBe(3);

    await drawer.getByRole('button', { name: /Close|关闭/ }).click();
    await page.reload();
    await page.getByTestId(`judging-${SLUG}`).getByText('评审已结束：黑客松已完成，评分不能再修改。').waitFor();
    await shot(page, '07-closed-zh');
  }, TEST_TIMEOUT);
});
