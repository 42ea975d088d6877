import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { ActivityService, IdentityService, MergeSuggestionService, StageService, type ActivityInput } from '#libs/members';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ARTIFACTS,
  chooseOption,
  closeConsoleParts,
  confirmPopconfirm,
  launchConsoleBrowser,
  originOf,
  pickGithubAccount,
  SETUP_TIMEOUT,
  startConsoleEnv,
  TEST_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

const day = (n: number) => new Date(Date.now() - (n + 1) * 86_400_000);
const sha = (n: number) => n.toString(16).padStart(40, '0');
const commit = (n: number, actor: ActivityInput['actor']): ActivityInput => ({
  type: 'commit',
  occurredAt: day(n),
  repositoryId: 1,
  actor,
  source: 'api',
  sourceKey: `commit:${sha(n)}`,
  facts: { sha: sha(n) },
});
/** One person seen twice: as a GitHub account, and as a bare commit address whose git name is the account's login. */
const oak = { kind: 'commit-author', account: { id: 4242, login: 'oak-river', type: 'User' }, name: 'Oak', email: '4242+oak-river@users.noreply.github.com' } as const;
const oakByMail = { kind: 'commit-author', account: null, name: 'Oak River', email: 'oak@river.example' } as const;

describe('console in Chromium: the Members page — find a member, their identities and path, accept a merge suggestion, merge and unmerge', () => {
  let env: TestEnv;
  let sim: GithubSim;
  let api: NestFastifyApplication;
  let db: DataSource;
  let browser: ConsoleBrowser;
  let page: Page;
  let origin: string;
  let oakId: string;
  let mailId: string;

  /** The member that holds the bare commit address now. */
  const holderOfAddress = async () => (await db.query(`SELECT member_id FROM identity WHERE key = 'oak@river.example'`))[0].member_id as string;

  beforeAll(async () => {
    ({ env, sim } = await startConsoleEnv());
    db = await new DataSource({ type: 'postgres', url: env.database.url, extra: { options: env.database.options } }).initialize();
    // the data, through ingest: commits by the account and by the bare address, with their git author rows
    const [ecosystem] = await db.query(`INSERT INTO ecosystem (slug, name) VALUES ('oak', 'Oak') RETURNING id`);
    await db.query(`INSERT INTO repository (id, owner, name, full_name, ecosystem_id) VALUES (1, 'oak-river', 'parser', 'oak-river/parser', $1)`, [ecosystem.id]);
    await new ActivityService(db, new IdentityService(db)).record([...[0, 1, 2].map((n) => commit(n, oak)), ...[3, 4].map((n) => commit(n, oakByMail))]);
    await db.query(
      `INSERT INTO git_commit (sha, repository_id, author_identity_id, author_name, authored_at)
       SELECT substr(a.source_key, 8, 40), 1, a.identity_id, 'oak-river', a.occurred_at FROM activity a JOIN identity i ON i.id = a.identity_id WHERE i.platform = 'email'`,
    );
    await db.query(`INSERT INTO git_commit_repository (sha, repository_id) SELECT sha, 1 FROM git_commit`);
    await db.query(`INSERT INTO organization (name, domains) VALUES ('River Labs', '{riverlabs.example}'), ('Delta Works', '{}')`);
    api = await createApiApp({ logger: false });
    await api.listen(0, '127.0.0.1');
    origin = originOf(api);
    oakId = (await db.query(`SELECT member_id FROM github_account WHERE id = 4242`))[0].member_id;
    mailId = await holderOfAddress();
    await api.get(StageService, { strict: false }).recomputeMembers([oakId, mailId]);
    // the sweep finds the weak evidence (the git name is the account's login) and leaves it to an admin
    await api.get(MergeSuggestionService, { strict: false }).sweep();
    expect(await db.query(`SELECT status, member_id, other_member_id FROM member_merge_suggestion`)).toEqual([{ status: 'open', member_id: oakId, other_member_id: mailId }]);
    browser = await launchConsoleBrowser();
    page = browser.page;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await closeConsoleParts({ browser, api, sim, db, env });
  });

  /** Closes the member drawer once any modal on it has gone. */
  const closeDrawer = async () => {
    await page.locator('.ant-modal').waitFor({ state: 'hidden' });
    await page.keyboard.press('Escape');
    await page.waitForURL((url) => !url.searchParams.has('member'));
    await page.locator('.ant-drawer-mask').waitFor({ state: 'hidden' });
  };
  const drawer = () => page.locator('.ant-drawer');
  const card = (title: string | RegExp) => drawer().locator('.ant-card').filter({ has: page.locator('.ant-card-head-title', { hasText: title }) });

  it('signs in as an admin and lists the members ranked by activities', async () => {
    await page.goto(`${origin}/auth/github?return_to=${encodeURIComponent('/console/members')}`);
    await pickGithubAccount(page, origin, '/console/members');
    await page.getByTestId('viewer-login').waitFor();
    await page.getByText('2 members with matching activities').waitFor();
    const rows = page.getByRole('tabpanel').locator('.ant-table-row');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('oak-river');
    expect(await rows.first().textContent()).toContain('First-time contributor');
    await page.screenshot({ path: join(ARTIFACTS, '10-members.png'), fullPage: true });
  }, TEST_TIMEOUT);

  it('filters the members by their stage now in an ecosystem, and by non-paying only', async () => {
    const filters = page.locator('.ant-card').filter({ has: page.getByRole('button', { name: 'Apply' }) });
    const choose = async (label: string, option: string) => {
      await chooseOption(page, filters.getByLabel(label, { exact: true }), option);
    };
    await choose('Stage now', 'Maintainer');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('in ecosystem', { exact: false }).waitFor();
    await page.getByText('A stage is read in one ecosystem: pick it').waitFor();
    await choose('in ecosystem', 'Oak (oak)');
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No member has activities matching these filters. Widen the period or clear a filter.').waitFor();
    await choose('Stage now', 'First-time contributor');
    await filters.getByLabel('Non-paying only').check();
    await filters.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('2 members with matching activities').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '10b-members-filtered.png'), fullPage: true });
    await filters.getByRole('button', { name: 'Reset' }).click();
    await page.getByText('2 members with matching activities').waitFor();
  }, TEST_TIMEOUT);

  it("finds a member by login and opens their page: identities with the evidence for each, and the dated path", async () => {
    await page.getByPlaceholder('GitHub login or member id').fill('Oak-River');
    await page.getByPlaceholder('GitHub login or member id').press('Enter');
    const identities = card('Identities (1)');
    await identities.waitFor();
    expect(await identities.locator('.ant-table-tbody').textContent()).toMatch(/GitHub.*oak-river.*GitHub's API.*GitHub API author.*named account 4242 \(oak-river\) as the author of commits/);
    const path = card('Path through the stages');
    await path.getByText('First-time contributor').waitFor();
    expect(await path.textContent()).toContain('Commit · oak-river/parser');
    expect(await card('Latest 10 activities').locator('.ant-table-tbody tr').count()).toBe(3);
    await page.screenshot({ path: join(ARTIFACTS, '11-member.png'), fullPage: true });
  }, TEST_TIMEOUT);

  it('records a manual affiliation from the member page and removes it again', async () => {
    const affiliations = card('Affiliations');
    await affiliations.getByRole('combobox').click();
    await page.keyboard.type('river');
    await page.locator('.ant-select-item-option').filter({ hasText: 'River Labs' }).click();
    await affiliations.getByPlaceholder('Why (optional)').fill('contract from March');
    await affiliations.getByRole('button', { name: 'Add affiliation' }).click();
    await page.getByText('Affiliation recorded.').waitFor();
    const row = affiliations.locator('.ant-table-row').filter({ hasText: 'River Labs' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/River Labs.*Manual.*open.*open.*contract from March/);
    expect(await db.query(`SELECT o.name, a.source FROM affiliation a JOIN organization o ON o.id = a.organization_id WHERE a.member_id = $1`, [oakId])).toEqual([{ name: 'River Labs', source: 'manual' }]);
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, '12-member-affiliation.png'), fullPage: true });
    await row.getByRole('button', { name: 'Remove' }).click();
    await confirmPopconfirm(page);
    await page.getByText('Affiliation with River Labs removed.').waitFor();
    await affiliations.getByText('No affiliation: contributions are credited to no organisation.').waitFor();
    expect(await db.query(`SELECT count(*)::int AS n FROM affiliation WHERE member_id = $1`, [oakId])).toEqual([{ n: 0 }]);
  }, TEST_TIMEOUT);

  it('accepts the merge suggestion, then unmerges it from the member page', async () => {
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Merge suggestions' }).click();
    const suggestions = page.getByRole('tabpanel').locator('.ant-table-row');
    await suggestions.filter({ hasText: 'Author name is the login' }).waitFor();
    expect(await suggestions.count()).toBe(1);
    expect(await suggestions.first().textContent()).toMatch(/Author name is the login.*weak: an admin decides.*oak-river.*Oak River/);
    await page.screenshot({ path: join(ARTIFACTS, '13-merge-suggestions.png'), fullPage: true });
    await suggestions.first().getByRole('button', { name: 'Accept' }).click();
    await confirmPopconfirm(page);
    await page.getByText('Oak River merged into oak-river.').waitFor();
    await page.getByText('No merge suggestion is waiting for a decision.').waitFor();
    expect(await holderOfAddress()).toBe(oakId);

    await page.getByPlaceholder('GitHub login or member id').fill('oak-river');
    await page.getByPlaceholder('GitHub login or member id').press('Enter');
    const identities = card('Identities (2)');
    await identities.waitFor();
    expect(await identities.textContent()).toContain('oak@river.example');
    expect(await identities.textContent()).toContain('Merge');
    const merges = card('Merges');
    await merges.getByRole('button', { name: 'Unmerge' }).click();
    const modal = page.locator('.ant-modal');
    await modal.getByPlaceholder('Why the merge was wrong (kept in the audit log)').fill('two people after all');
    await page.screenshot({ path: join(ARTIFACTS, '14-unmerge.png'), fullPage: true });
    await modal.getByRole('button', { name: 'Unmerge' }).click();
    await page.getByText('Merge undone: Oak River stands on its own again.').waitFor();
    await card('Identities (1)').waitFor();
    await merges.getByText(/^Undone /).waitFor();
    expect(await merges.textContent()).toContain('two people after all');
    expect(await holderOfAddress()).toBe(mailId);
    expect(await db.query(`SELECT status FROM member_merge_suggestion`)).toEqual([{ status: 'rejected' }]);
  }, TEST_TIMEOUT);

  it('in Chinese: merges the address member by id from the member page, sees it, and unmerges it again', async () => {
    await closeDrawer();
    // the header's switch keeps the language in localStorage (its own flow is in console-sign-in.e2e-spec.ts)
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } }).localStorage.setItem('cambrian.console.language', 'zh-CN'));
    await page.reload();
    await page.getByPlaceholder('GitHub 登录名或成员 ID').fill('oak-river');
    await page.getByPlaceholder('GitHub 登录名或成员 ID').press('Enter');
    const merges = card('合并记录');
    await merges.getByPlaceholder('登录名或成员 ID').fill(mailId);
    await merges.getByPlaceholder('为什么他们是同一个人').fill('同一个人的工作邮箱');
    await merges.getByRole('button', { name: /^合\s?并$/ }).click();
    await page.getByText('已将 Oak River 合并到 oak-river。').waitFor();
    await card('身份（2）').waitFor();
    expect(await holderOfAddress()).toBe(oakId);
    expect(await card('阶段路径').textContent()).toContain('首次贡献者');
    await merges.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, '15-member-merged-zh.png'), fullPage: true });
    const audit = await db.query(`SELECT operation, actor_role FROM audit_event WHERE operation IN ('acceptMergeSuggestion', 'mergeMembers', 'unmergeMember') ORDER BY id`);
    expect(audit).toEqual([
      { operation: 'acceptMergeSuggestion', actor_role: 'admin' },
      { operation: 'unmergeMember', actor_role: 'admin' },
      { operation: 'mergeMembers', actor_role: 'admin' },
    ]);

    await merges.getByRole('button', { name: '撤销合并' }).click();
    await page.locator('.ant-modal').getByRole('button', { name: '撤销合并' }).click();
    await page.getByText('已撤销合并：Oak River 重新成为独立成员。').waitFor();
    await card('身份（1）').waitFor();
    expect(await holderOfAddress()).toBe(mailId);
    await closeDrawer();
    await page.getByRole('tab', { name: '合并建议' }).click();
    await page.getByText('已拒绝', { exact: true }).click();
    await page.locator('.ant-segmented-item-selected', { hasText: '已拒绝' }).waitFor();
    await page.locator('.ant-segmented-thumb').waitFor({ state: 'detached' }); // the sliding highlight has settled
    await page.getByRole('tabpanel').locator('.ant-table-row').filter({ hasText: 'Oak River' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '16-merge-suggestions-rejected-zh.png'), fullPage: true });
  }, TEST_TIMEOUT);
});
