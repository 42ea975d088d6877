import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { TEST_REDIS_URL } from '../helpers/test-queue-prefix.js';

const run = promisify(execFile);

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * The main job, end to end, as `npm run demo` runs it: the compiled CLI starts the simulator on
 * the real RWKV data, the api and a worker as processes, syncs, posts webhooks, prints a summary.
 */
describe('cambrian demo (compiled, real processes, RWKV data)', () => {
  let env: TestEnv;
  let ports: { api: number; sim: number };
  /** The demo's digests go here, not into the checkout's `.cambrian/outbox`, which holds the developer's own demo's. */
  let outbox: string;

  beforeAll(async () => {
    env = await createTestEnv();
    outbox = mkdtempSync(join(tmpdir(), 'cambrian-demo-outbox-'));
    ports = { api: await freePort(), sim: await freePort() };
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { timeout: 240_000 });
  }, 300_000);

  afterAll(async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${env.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await env?.teardown();
    if (outbox) rmSync(outbox, { recursive: true, force: true });
  });

  const demo = (...args: string[]) =>
    run(
      process.execPath,
      ['dist/apps/cli/src/main.js', 'demo', '--exit', '--api-port', String(ports.api), '--sim-port', String(ports.sim), '--timeout', '240', ...args],
      {
        timeout: 280_000,
        env: { ...process.env, DATABASE_URL: env.database.url, QUEUE_PREFIX: env.queuePrefix, MAIL_OUTBOX_DIR: outbox, LOG_LEVEL: 'warn' },
      },
    );

  it('syncs the six repositories, ingests signed deliveries and ranks real people', async () => {
    const { stdout } = await demo('--fresh');
    expect(stdout).toMatch(/posted 48 signed webhook deliveries to \/webhooks\/github: 48 × 202/);
    expect(stdout).toMatch(/the worker processed them: 48 done/);
    expect(stdout).toMatch(/repositories\s+6\n/);
    expect(stdout).toMatch(/commits\s+3728 /);
    expect(stdout).toMatch(/pull requests\s+380\n/);
    expect(stdout).toMatch(/Top contributors of the last 365 days/);
    // the hackathon step: draft to finished through GraphQL on the synced data
    expect(stdout).toMatch(/hackathon rwkv-hack-demo: \d{4}-\d{2}-01 to \d{4}-\d{2}-\d{2} anywhere on earth over 6 repositories/);
    expect(stdout).toMatch(/contributions counted in the window: Time Mixers [1-9]\d* pull requests/);
    expect(stdout).toMatch(/matching: .* the worker solved it exactly \(objective \d+, \d+ ms\); published: 2 teams notified \(publishing again: 0\)/);
    expect(stdout).toMatch(/finished: 1\. Time Mixers [\d.]+\/100 \(2 judges\), 2\. Channel Mixers [\d.]+\/100 \(2 judges\)/);
    expect(stdout).toMatch(/retention: 4 participants, \d+ first-time contributors? in the window; \d+ still contributing after 30 days, \d+ still contributing after 90 days/);
    // the maintainer's second address: no evidence GitHub links it, so a suggestion for an admin, not a merge
    expect(stdout).toMatch(/merge sweep: 0 merges on conclusive evidence .*; \d+ suggestions left for an admin/);
    expect(stdout).toMatch(/@BlinkDL may also commit under another address: 424 commits whose git name is the login/);
    // the profile sync, run once by the worker: simulated company fields name the demo's organisations
    expect(stdout).toMatch(/profiles: asked ([1-9]\d*) GitHub profiles \(\1 answered, 0 unchanged 304s, 0 gone\); [1-9]\d* show a company/);
    expect(stdout).toMatch(/profile affiliations: [1-9]\d* members with [1-9]\d* organisations/);
    expect(stdout).toMatch(/ {2}@\S+: [^,]+, PROFILE, \d{4}-\d{2}-\d{2} – now \(profile says "[^"]+"\)/);
    // the export's newest commit (BlinkDL/RWKV-LM, 2026-08-21) is by BlinkDL; while that is inside
    // the window, the maintainer leads the board under his GitHub login
    if (Date.now() - Date.parse('2026-08-21T13:43:06Z') < 300 * 24 * 3600 * 1000) {
      expect(stdout).toMatch(/1\. BlinkDL\s+@BlinkDL/);
    }
  }, 300_000);

  it('costs only 304s and adds nothing when run again', async () => {
    const { stdout } = await demo();
    expect(stdout).toMatch(/sync done: (\d+) GitHub API requests this run, \1 of them answered 304 Not Modified/);
    expect(stdout).toMatch(/commits\s+3728 /);
    expect(stdout).toMatch(/activities\s+5469\n/);
    expect(stdout).toMatch(/hackathon rwkv-hack-demo: finished in an earlier run/);
    // every profile was read by the first run, within GITHUB_PROFILE_REFRESH_SECONDS
    expect(stdout).toMatch(/profiles: asked 0 GitHub profiles .*\(all were asked within GITHUB_PROFILE_REFRESH_SECONDS\)/);
    expect(stdout).toMatch(/profile affiliations: [1-9]\d* members with [1-9]\d* organisations/);
  }, 300_000);

  it('stops once, cleanly, when Ctrl-C arrives twice (from the terminal and again from npm)', async () => {
    // the children's logs are appended to: read only what this run adds
    const logOf = (app: string) => join('.cambrian', 'logs', `${app}.log`);
    const startsAt = Object.fromEntries(['api', 'worker'].map((app) => [app, existsSync(logOf(app)) ? statSync(logOf(app)).size : 0]));
    const child = spawn(process.execPath, ['dist/apps/cli/src/main.js', 'demo', '--api-port', String(ports.api), '--sim-port', String(ports.sim), '--timeout', '240'], {
      env: { ...process.env, DATABASE_URL: env.database.url, QUEUE_PREFIX: env.queuePrefix, MAIL_OUTBOX_DIR: outbox, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    for (let waited = 0; !stdout.includes('running until Ctrl-C'); waited += 200) {
      if (child.exitCode !== null || waited > 240_000) throw new Error(`the demo did not reach "running until Ctrl-C":\n${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    child.kill('SIGINT');
    // the second arrives while the first is being handled (two at once would merge into one signal)
    for (let waited = 0; !stdout.includes('stopping…') && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill('SIGINT');
    expect(await exited).toEqual([0, null]);
    expect(stdout.match(/stopping…/g)).toHaveLength(1);
    // the children stopped before the demo exited: their last log lines are written
    for (const app of ['api', 'worker']) {
      expect(readFileSync(logOf(app)).subarray(startsAt[app]).toString('utf8')).toMatch(/"msg":"shut down"/);
    }
  }, 300_000);
});
