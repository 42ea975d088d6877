import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * What the console's Chromium specs share: the built console, Debian's Chromium on a fresh profile, the api
 * beside the GitHub simulator, the sign-in through the simulator's account picker, and the waits they allow.
 */

/** The built console (`npm run build`), as the api serves it. */
export const CONSOLE_DIR = resolve('dist/console');
/** Screenshots of each page, for people to look at (git-ignored). */
export const ARTIFACTS = resolve('artifacts/console');
/** The GitHub login the specs sign in with; ADMIN_GITHUB_LOGINS names it. */
export const ADMIN = 'BlinkDL';
/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, with nothing that reaches out to the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Playwright's default wait (milliseconds) for every action, locator wait, navigation and screenshot of the page.
 * Playwright's own default is 30 s; on a loaded 2-core machine (other test files compiling, Postgres and
 * Chromium sharing the cores) a page step that normally takes 1 s has been seen to need far more, so each
 * step may take up to 45 s before it fails with Playwright's message naming the locator.
 */
export const STEP_TIMEOUT = 45_000;
/** The wait (milliseconds) for something the worker does off the page (a sync, a matching run) to show on it. */
export const WORKER_TIMEOUT = 90_000;
/**
 * Jest's timeout (milliseconds) for a test made of page steps only: room for one step to use all of
 * STEP_TIMEOUT and fail with its own message (and its screenshot) rather than with Jest's bare timeout.
 */
export const TEST_TIMEOUT = 4 * STEP_TIMEOUT;
/** Jest's timeout (milliseconds) for a test that also waits up to WORKER_TIMEOUT for the worker. */
export const WORKER_TEST_TIMEOUT = WORKER_TIMEOUT + TEST_TIMEOUT;
/** Jest's timeout (milliseconds) for a spec's beforeAll: a database, the api, the simulator and Chromium started. */
export const SETUP_TIMEOUT = 180_000;

/** Throws, naming the fix, unless the console is built and Chromium installed; makes the screenshot directory. */
export function assertConsoleRunnable(): void {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) throw new Error(`${CONSOLE_DIR} holds no built console: run \`npm run build\` first`);
  if (!existsSync(CHROMIUM)) throw new Error("Chromium is not installed: apt-get install -y chromium (scripts/lib.sh's ensure_chromium does it)");
  mkdirSync(ARTIFACTS, { recursive: true });
}

/**
 * Starts the GitHub simulator and a per-file database and queue prefix, and applies the environment the
 * api reads to serve the console and let ADMIN in (plus `extra`). Checks assertConsoleRunnable first.
 */
export async function startConsoleEnv(extra: Record<string, string> = {}): Promise<{ env: TestEnv; sim: GithubSim }> {
  assertConsoleRunnable();
  const sim = await startRwkvSim();
  const env = await createTestEnv();
  env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'console-e2e-token', ADMIN_GITHUB_LOGINS: ADMIN.toLowerCase(), CONSOLE_DIR, ...extra });
  return { env, sim };
}

/** `http://127.0.0.1:<port>` of a listening api. */
export function originOf(api: NestFastifyApplication): string {
  return `http://127.0.0.1:${(api.getHttpServer().address() as { port: number }).port}`;
}

/** Chromium on a fresh profile (removed by `close`), its first page with STEP_TIMEOUT as every default wait. */
export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  /** Closes Chromium and removes its profile. */
  close(): Promise<void>;
}

/** Launches Chromium (1400×900, en-US) on a fresh temporary profile; `options` adds to Playwright's context options. */
export async function launchConsoleBrowser(options: { timezoneId?: string; acceptDownloads?: boolean } = {}): Promise<ConsoleBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'cambrian-chromium-'));
  try {
    // a fresh profile (Playwright passes it as --user-data-dir)
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
      locale: 'en-US',
      ...options,
    });
    context.setDefaultTimeout(STEP_TIMEOUT);
    context.setDefaultNavigationTimeout(STEP_TIMEOUT);
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(STEP_TIMEOUT);
    page.setDefaultNavigationTimeout(STEP_TIMEOUT);
    return {
      context,
      page,
      async close() {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/**
 * On the simulator's account picker (the page has just followed "Sign in with GitHub"): picks `login`
 * (GitHub's `login` suggestion) and waits until the api has sent the browser back to `origin` + `landing`.
 */
export async function pickGithubAccount(page: Page, origin: string, landing = '/console/', login = ADMIN): Promise<void> {
  await page.waitForURL((url) => url.pathname === '/login/oauth/authorize');
  const authorize = new URL(page.url());
  authorize.searchParams.set('login', login);
  await page.goto(authorize.toString());
  await page.waitForURL(`${origin}${landing}`);
}

/** Opens the console signed out, follows "Sign in with GitHub" and picks ADMIN on the simulator. */
export async function signInFromConsole(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/console/`);
  await page.getByRole('link', { name: /Sign in with GitHub/ }).click();
  await pickGithubAccount(page, origin);
}

/**
 * Chooses `option` (matched against each option's text, as Playwright's `hasText`) in the Ant Design select
 * `select`, and returns once its list has closed, so the next click meets the form and not the list.
 * A click that lands while the list is still opening can leave it open with nothing chosen (a full run in CI
 * met this: the open list covered the next field for 45 s); the option is then clicked again, until STEP_TIMEOUT.
 * Throws when the option never shows, or the list never closes. Only for single selects (a multiple one stays open).
 */
export async function chooseOption(page: Page, select: Locator, option: string | RegExp): Promise<void> {
  const open = page.locator('.ant-select-dropdown:visible');
  const deadline = Date.now() + STEP_TIMEOUT;
  for (let clicks = 1; ; clicks += 1) {
    if ((await open.count()) === 0) await select.click();
    await open.locator('.ant-select-item-option').filter({ hasText: option }).first().click({ timeout: Math.max(1, deadline - Date.now()) });
    try {
      await open.first().waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the select's list stayed open after choosing ${String(option)} ${clicks} times`, { cause: error });
    }
  }
}

/**
 * Confirms the open popconfirm (Ant Design's `Popconfirm`) with its OK button, as a user does, and waits
 * until it has closed: an asynchronous confirmation keeps it open, its OK button loading, until the
 * action has answered. A click that landed while the popconfirm was still opening (it stays open, OK not
 * loading) is made again. Throws when it never closes.
 */
export async function confirmPopconfirm(page: Page, ok: string | RegExp = 'OK'): Promise<void> {
  const open = page.locator('.ant-popconfirm:visible');
  const button = open.getByRole('button', { name: ok });
  const deadline = Date.now() + STEP_TIMEOUT;
  await button.click({ timeout: STEP_TIMEOUT });
  for (let clicks = 1; ; clicks += 1) {
    try {
      await open.first().waitFor({ state: 'hidden', timeout: 3_000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the popconfirm stayed open after ${clicks} clicks on ${String(ok)}`, { cause: error });
    }
    const loading = await button.evaluate((element) => element.classList.contains('ant-btn-loading')).catch(() => true);
    if (!loading && (await open.count()) > 0) await button.click({ timeout: Math.max(1, deadline - Date.now()) }).catch(() => undefined);
  }
}

/** Switches the console's language with the header's language switch (a select), as a user does. */
export async function switchLanguage(page: Page, language: 'English' | '简体中文'): Promise<void> {
  await chooseOption(page, page.getByTestId('language-switch'), language);
}

/** Runs `wait`; if it fails, screenshots the page as `name` in ARTIFACTS first, then rethrows. */
export async function screenshotOnFailure<T>(page: Page, name: string, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (error) {
    await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true }).catch(() => undefined);
    throw error;
  }
}

/** Empties every queue of the worker's prefix and closes the worker (a no-op when it never started). */
export async function closeWorker(worker: INestApplicationContext | undefined): Promise<void> {
  if (!worker) return;
  for (const name of Object.values(QueueName)) await worker.get<Queue>(getQueueToken(name)).obliterate({ force: true });
  await worker.close();
}

/** What a console spec started; each part may be missing (its start failed, or the spec needs none). */
export interface ConsoleParts {
  browser?: ConsoleBrowser;
  worker?: INestApplicationContext;
  api?: { close(): Promise<unknown> };
  sim?: { close(): Promise<unknown> };
  /** A `pg` pool or client (`end`) or a TypeORM DataSource (`destroy`). */
  db?: { end(): Promise<unknown> } | { destroy(): Promise<unknown> };
  env?: TestEnv;
}

/**
 * Closes what a console spec started, last started first: Chromium, the worker (its queues emptied),
 * the api, the simulator, the database connection, then the per-file database and queue prefix.
 */
export async function closeConsoleParts(parts: ConsoleParts): Promise<void> {
  await parts.browser?.close();
  await closeWorker(parts.worker);
  await parts.api?.close();
  await parts.sim?.close();
  if (parts.db) await ('end' in parts.db ? parts.db.end() : parts.db.destroy());
  await parts.env?.teardown();
}
