import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { DigestComposeModule, DigestDefaultsService, EmailPreferenceService } from '#libs/digests';
import { QueueModule } from '#libs/queue';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { DigestsProcessorModule } from '../../apps/worker/src/processors/digests-processor.module.js';
import { GraphqlClient } from '../e2e/graphql-client.js';
import { createActivities, createEcosystem, createMember, createRepository, type CreatedMember } from '../helpers/factories.js';
import type { TestEnv } from '../helpers/test-env.js';
import {
  ARTIFACTS,
  chooseOption,
  closeConsoleParts,
  launchConsoleBrowser,
  originOf,
  confirmPopconfirm,
  screenshotOnFailure,
  SETUP_TIMEOUT,
  signInFromConsole,
  startConsoleEnv,
  switchLanguage,
  TEST_TIMEOUT,
  WORKER_TEST_TIMEOUT,
  WORKER_TIMEOUT,
  type ConsoleBrowser,
} from './console-harness.js';

/** A week long over on every clock, with the members' activity in it. */
const WEEK = '2026-W40';
/** Screenshots of the page in both languages, for people to look at (not committed). */
const SHOTS = '/tmp/console-shots';
const HAN = /[\u4e00-\u9fff]/;

describe('console in Chromium: the Digests page — preview a member’s digest in Chinese and English, run a week, read the ledger and the unsubscribes', () => {
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
  let outbox: string;
  let members: Record<'alice' | 'bob' | 'carol', CreatedMember>;

  const gql = (query: string, variables: Record<string, unknown> = {}) => client.data(query, variables, { token });
  const shot = async (name: string) => {
    const path = join(ARTIFACTS, `digests-${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  };
  /** Saves the page as /tmp/console-shots/digests-<name>.png too. */
  const keep = async (name: string) => copyFileSync(await shot(name), join(SHOTS, `digests-${name}.png`));
  const tab = (name: string | RegExp) => page.getByRole('tab', { name });
  /** The names of the GraphQL operations the page posts while `act` runs, in order. */
  const operationsDuring = async (act: () => Promise<void>): Promise<string[]> => {
    const names: string[] = [];
    const listen = (request: import('playwright-core').Request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/graphql') {
        names.push(/^\s*(?:query|mutation)\s+(\w+)/.exec((request.postDataJSON() as { query: string }).query)?.[1] ?? '?');
      }
    };
    page.on('request', listen);
    try {
      await act();
    } finally {
      page.off('request', listen);
    }
    return names;
  };
  /** Switches the console's language with the header's switch and waits for its list to close. */
  const speak = async (language: 'English' | '简体中文') => {
    await switchLanguage(page, language);
  };
  const panel = () => page.getByRole('tabpanel');

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'cambrian-digest-outbox-'));
    mkdirSync(SHOTS, { recursive: true });
    ({ env, sim } = await startConsoleEnv({ MAIL_OUTBOX_DIR: outbox, DIGEST_TOKEN_SECRETS: 'console-digests-secret' }));
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    const ecosystemId = await createEcosystem(db, { slug: 'rwkv', name: 'RWKV' });
    const core = await createRepository(db, { ecosystemId, owner: 'rwkv', name: 'core' });
    members = {
      alice: await createMember(db, { login: 'alice', displayName: 'Alice Liddell' }),
      bob: await createMember(db, { login: 'bob', displayName: 'Bob' }),
      carol: await createMember(db, { login: 'carol' }),
    };
    // Alice and Bob commit in the week (Wednesday 30 September 2026); Carol only long before: nothing to say to her
    await createActivities(db, [
      ...[1, 2, 3].map((n) => ({ member: members.alice, repositoryId: core, type: 'commit', occurredAt: `2026-09-30T0${n}:00:00Z` })),
      { member: members.bob, repositoryId: core, type: 'commit', occurredAt: '2026-10-01T10:00:00Z' },
      { member: members.carol, repositoryId: core, type: 'commit', occurredAt: '2026-03-01T10:00:00Z' },
    ]);
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    origin = originOf(api);
    token = (await api.get(ApiTokenService, { strict: false }).create({ name: 'console e2e digests', role: 'admin' })).secret;
    const workerModule = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, QueueModule, DigestsProcessorModule.register(DigestComposeModule, DigestDefaultsService)],
    }).compile();
    workerModule.useLogger(false);
    worker = await workerModule.init();
    browser = await launchConsoleBrowser({ timezoneId: 'UTC' });
    page = browser.page;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await closeConsoleParts({ browser, worker, api, sim, db, env });
    if (outbox) rmSync(outbox, { recursive: true, force: true });
  });

  it('signs in as the admin, opens Digests from the menu and is asked for a member', async () => {
    await signInFromConsole(page, origin);
    await page.getByRole('menuitem', { name: 'Digests' }).click();
    await page.waitForURL(`${origin}/console/digests`);
    await panel().getByText("Type a member's GitHub login (or member id) to preview their digest for the week.").waitFor();
    // the week picker starts on an ISO week
    expect(await page.getByTestId('digest-week').inputValue()).toMatch(/^\d{4}-W\d{2}$/);
  }, TEST_TIMEOUT);

  it('previews a member’s digest in Simplified Chinese from the real composer: subject, HTML in a sandboxed frame, text', async () => {
    await page.getByTestId('digest-member').locator('input').fill('Alice');
    await page.getByTestId('digest-member').locator('input').press('Enter');
    await page.waitForURL((url) => url.searchParams.get('member') === 'Alice');
    // the preview of the week the page starts on, before the deep link below
    await page.getByTestId('digest-preview').waitFor();
    // the week: a deep link (the picker shows it as its ISO week)
    const url = new URL(page.url());
    url.searchParams.set('week', WEEK);
    // a fresh load of a preview: who is signed in, the member by login, their digest
    const loaded = await operationsDuring(async () => {
      await page.goto(url.toString());
      await page.getByTestId('digest-subject').waitFor();
    });
    expect(loaded.sort()).toEqual(['DigestPreview', 'MemberLookup', 'Viewer']);
    expect(await page.getByTestId('digest-week').inputValue()).toBe(WEEK);
    await page.getByTestId('digest-language').getByText('简体中文').click();
    const subject = page.getByTestId('digest-subject');
    await screenshotOnFailure(page, 'digests-failed-preview.png', () => subject.filter({ hasText: '第 40 周' }).waitFor());
    // no stage computed here, so no ecosystem named: the headline is Alice's first contribution
    expect(await subject.textContent()).toBe('你的第 40 周：你为 rwkv/core 做出了第一次贡献');
    const frame = page.getByTestId('digest-html');
    expect(await frame.getAttribute('sandbox')).toBe('');
    const body = page.frameLocator('[data-testid="digest-html"]').locator('body');
    await screenshotOnFailure(page, 'digests-failed-frame.png', () => body.filter({ hasText: '3 个提交进入了默认分支' }).waitFor());
    expect(HAN.test((await body.textContent()) ?? '')).toBe(true);
    await panel().getByRole('tab', { name: 'Plain text' }).click();
    const text = (await page.getByTestId('digest-text').textContent()) ?? '';
    expect(text).toMatch(/rwkv\/core/);
    expect(HAN.test(text)).toBe(true);
    await panel().getByRole('tab', { name: 'HTML' }).click();

    // the console in Chinese, the digest in Chinese
    await speak('简体中文');
    await page.getByRole('tab', { name: '预览' }).waitFor();
    await body.filter({ hasText: '3 个提交进入了默认分支' }).waitFor();
    await keep('zh-CN');
  }, TEST_TIMEOUT);

  it('previews the same week in English, and says why a quiet member gets none', async () => {
    await speak('English');
    await page.getByTestId('digest-language').getByText('English').click();
    const subject = page.getByTestId('digest-subject');
    await subject.filter({ hasText: /^Your week 40: / }).waitFor();
    await keep('en');

    await page.getByTestId('digest-member').locator('input').fill('carol');
    await page.getByTestId('digest-member').locator('input').press('Enter');
    await page.getByTestId('digest-empty').getByText(`carol gets no digest for ${WEEK}.`).waitFor();
    expect(await page.getByTestId('digest-empty').textContent()).toMatch(/no activity in 2026-W40/);
    await shot('empty');

    await page.getByTestId('digest-member').locator('input').fill('nobody-here');
    await page.getByTestId('digest-member').locator('input').press('Enter');
    await panel().getByText('No member with the login or id “nobody-here”.').waitFor();
  }, TEST_TIMEOUT);

  it('starts the week’s run from the ledger and reads the rows the worker writes', async () => {
    for (const [login, locale] of [
      ['alice', 'zh-CN'],
      ['bob', 'en'],
      ['carol', 'en'],
    ] as const) {
      await gql(`mutation($m: ID!, $i: MemberEmailPreferencesInput!) { setMemberEmailPreferences(memberId: $m, input: $i) { digestOptIn } }`, {
        m: members[login].memberId,
        i: { digestOptIn: true, email: `${login}@example.org`, locale, timeZone: 'UTC' },
      });
    }
    await tab('Send ledger').click();
    await page.getByText('No digest has been sent yet', { exact: false }).waitFor();
    // a fresh load of the ledger asks for who is signed in and one page of the ledger, nothing more
    const loaded = await operationsDuring(async () => {
      await page.goto(`${origin}/console/digests?tab=ledger&ledgerWeek=${WEEK}`);
      await page.getByText('No ledger row matches this week and status.').waitFor();
    });
    expect(loaded.sort()).toEqual(['DigestSends', 'Viewer']);
    expect(await page.getByTestId('ledger-week').inputValue()).toBe(WEEK);
    await page.getByRole('button', { name: /Send this week's digests/ }).click();
    await confirmPopconfirm(page);
    await screenshotOnFailure(page, 'digests-failed-run-started.png', () => page.getByText(`${WEEK}: 3 members' digests queued.`).waitFor());

    // the worker sends two and finds nothing to say to Carol
    const deadline = Date.now() + WORKER_TIMEOUT;
    while ((await db.query(`SELECT 1 FROM digest_send WHERE iso_week = $1 AND status IN ('sent', 'empty')`, [WEEK])).rowCount! < 3) {
      if (Date.now() > deadline) throw new Error(`the digests of ${WEEK} were not all sent within ${WORKER_TIMEOUT} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await page.getByRole('button', { name: /Refresh/ }).click();
    const rows = page.getByTestId('ledger-table').locator('.ant-table-row');
    await rows.filter({ hasText: 'carol' }).filter({ hasText: 'Nothing to send' }).waitFor();
    expect(await rows.count()).toBe(3);
    for (const login of ['alice', 'bob']) expect(await rows.filter({ hasText: login }).textContent()).toMatch(new RegExp(`${login}${WEEK}Sent${login}@example.org1`));

    await keep('ledger-en');
    await speak('简体中文');
    await rows.filter({ hasText: 'carol' }).filter({ hasText: '无内容' }).waitFor();
    await keep('ledger-zh-CN');
    await speak('English');

    // filtered by status
    await chooseOption(page, page.getByTestId('ledger-status'), 'Nothing to send');
    await rows.filter({ hasText: 'alice' }).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/^carol/);
  }, WORKER_TEST_TIMEOUT);

  it('lists the members who unsubscribed', async () => {
    await tab('Unsubscribes').click();
    await page.getByText('Nobody has unsubscribed.').waitFor();
    await api.get(EmailPreferenceService, { strict: false }).unsubscribe(members.bob.memberId);
    await tab('Send ledger').click();
    await tab('Unsubscribes').click();
    await page.getByText('1 member unsubscribed').waitFor();
    const row = page.getByTestId('unsubscribes-table').locator('.ant-table-row');
    expect(await row.textContent()).toMatch(/^bobbob@example\.org.*UTC.*English.*UTC—$/);
    await keep('unsubscribes-en');
    await speak('简体中文');
    await page.getByText('1 位成员已退订').waitFor();
    await keep('unsubscribes-zh-CN');
  }, TEST_TIMEOUT);
});
