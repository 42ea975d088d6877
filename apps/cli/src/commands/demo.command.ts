import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { loadConfig, type CambrianConfig } from '#libs/config';
import { dropDatabase, openKeyedDataSource, prepareDatabase, splitDatabaseUrl } from '#libs/db';
import { SyncHealthCache, SyncHealthService, SyncProgressService } from '#libs/github';
import { secretBoxFromConfig } from '#libs/secrets';
import { QueueName, redisConnectionOptions, resetRedisPrefix } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../../github-sim/src/server.js';
import { buildActivityDeliveries, emitWebhooks } from '../../../github-sim/src/webhooks/index.js';
import { startChildService, waitForHttp, type ChildService } from '../demo/child-service.js';
import { readDemoCounts } from '../demo/demo-counts.js';
import { stageSummaryLine } from '../demo/demo-stages.js';
import { assertPortFree } from '../demo/port-free.js';
import {
  ADD_TRACKED_SOURCE,
  CREATE_ECOSYSTEM,
  ECOSYSTEM_QUERY,
  START_SYNC,
  TOP_CONTRIBUTORS,
  type TopContributors,
} from '../demo/demo-queries.js';
import { graphqlRequest } from '../demo/graphql-client.js';
import { setUpDemoOrganizations } from '../demo/demo-organizations.js';
import { runDemoMergeSweep } from '../demo/demo-identities.js';
import { runDemoProfileSync } from '../demo/demo-profiles.js';
import { runDemoDigests } from '../demo/demo-digests.js';
import { runDemoHackathon } from '../demo/demo-hackathon.js';
import { demoDataDir, distEntry, projectRoot } from '../demo/project-paths.js';
import { waitUntil } from '../demo/wait-until.js';

interface DemoOptions {
  sim: boolean;
  apiPort: string;
  simPort: string;
  fresh: boolean;
  exit: boolean;
  timeout: string;
}

/** The ecosystem the demo builds: BlinkDL's and RWKV's repositories, and RWKV-Runner. */
const ECOSYSTEM = {
  slug: 'rwkv',
  name: 'RWKV',
  sources: [
    { kind: 'USER', name: 'BlinkDL' },
    { kind: 'ORGANIZATION', name: 'RWKV' },
    { kind: 'REPOSITORY', name: 'josStorer/RWKV-Runner' },
  ],
} as const;

const say = (text: string) => console.log(`[cambrian demo] ${text}`);
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * `cambrian demo`: the main job, end to end on the real RWKV data. Starts the GitHub API
 * simulator (in this process), the api and a worker (child processes, logs under
 * `.cambrian/logs/`), creates the `rwkv` ecosystem through GraphQL with an admin token, runs
 * the sync with a progress display, posts signed webhook deliveries to the real endpoint,
 * prints a summary, and keeps running until Ctrl-C (or exits with `--exit`).
 */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('sync the RWKV ecosystem through the GitHub simulator, ingest webhooks, answer GraphQL')
    .option('--no-sim', 'use GITHUB_API_URL (e.g. https://api.github.com with GITHUB_TOKEN) instead of the simulator')
    .option('--api-port <port>', 'port of the api', process.env.PORT || '3000')
    .option('--sim-port <port>', 'port of the GitHub simulator', process.env.SIM_PORT || '3100')
    .option('--fresh', 'drop and recreate the database and clear the queues (QUEUE_PREFIX) first', false)
    .option('--exit', 'stop everything after the summary instead of running until Ctrl-C', false)
    .option('--timeout <seconds>', 'give up when the sync or the webhooks take longer', '600')
    .action(async (options: DemoOptions) => runDemo(options));
}

async function runDemo(options: DemoOptions): Promise<void> {
  const config = loadConfig();
  const dataDir = demoDataDir();
  if (options.sim && !existsSync(join(dataDir, '_export_meta.jsonl'))) {
    throw new Error(
      `no RWKV data at ${dataDir}. Point CAMBRIAN_DATA_DIR at the export (a folder with _export_meta.jsonl and ` +
        `OWNER__NAME.commits.jsonl files), or sync GitHub itself: ` +
        `GITHUB_API_URL=https://api.github.com GITHUB_TOKEN=<token> npm run demo -- --no-sim`,
    );
  }
  const timeoutSeconds = Number(options.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Error(`--timeout must be a number of seconds above 0, not "${options.timeout}"`);
  }
  const timeoutMs = timeoutSeconds * 1000;
  await assertPortFree(Number(options.apiPort), '127.0.0.1', '--api-port');
  if (options.sim) await assertPortFree(Number(options.simPort), '127.0.0.1', '--sim-port');
  const children: ChildService[] = [];
  let sim: GithubSim | undefined;
  let dataSource: DataSource | undefined;
  let queue: Queue | undefined;
  let healthCache: SyncHealthCache | undefined;
  const shutdown = async () => {
    await Promise.all(children.map((child) => child.stop()));
    await sim?.close();
    await queue?.close();
    await healthCache?.close();
    if (dataSource?.isInitialized) await dataSource.destroy();
  };
  // one shutdown however many signals come: Ctrl-C reaches this process from the terminal and again
  // from npm, which forwards it; a second signal must not end the process before its children have
  // stopped and their last log lines are written
  let stopping = false;
  const stopOnSignal = () => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    void shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        say(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, stopOnSignal);

  try {
    if (options.fresh) {
      if (await dropDatabase(config.DATABASE_URL)) {
        say(`dropped database ${splitDatabaseUrl(config.DATABASE_URL).database} (--fresh)`);
      }
      const keys = await resetRedisPrefix(config.REDIS_URL, config.QUEUE_PREFIX);
      say(`deleted ${keys} Redis keys under "${config.QUEUE_PREFIX}:" (queues and rate-limit state of the old database)`);
    }
    const { created, applied, erasureKey } = await prepareDatabase(config.DATABASE_URL, secretBoxFromConfig(config));
    say(
      `database ${splitDatabaseUrl(config.DATABASE_URL).database}: ${created ? 'created, ' : ''}` +
        `${applied.length ? `applied ${applied.length} migration(s)` : 'schema up to date'}`,
    );

    let githubApiUrl = config.GITHUB_API_URL;
    let githubToken = config.GITHUB_TOKEN;
    if (options.sim) {
      say(`loading the RWKV export from ${dataDir}…`);
      sim = await createGithubSim({ dataDir, port: Number(options.simPort) });
      githubApiUrl = sim.url;
      // the simulator, like GitHub, gives anonymous callers 60 requests an hour and a token 5,000
      githubToken ||= 'cambrian-demo';
      say(`GitHub simulator at ${sim.url} (seeded from real git history; generated parts are listed in apps/github-sim/README.md)`);
    }

    const apiUrl = `http://127.0.0.1:${options.apiPort}`;
    const outboxDir = resolve(projectRoot(), config.MAIL_OUTBOX_DIR);
    const env = {
      GITHUB_API_URL: githubApiUrl,
      GITHUB_TOKEN: githubToken,
      PORT: options.apiPort,
      HOST: '127.0.0.1',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      QUEUE_PREFIX: config.QUEUE_PREFIX,
      GITHUB_WEBHOOK_SECRETS: config.GITHUB_WEBHOOK_SECRETS.join(','),
      // digests: messages to the file outbox unless SMTP_URL is set; links in them point at this api
      MAIL_OUTBOX_DIR: outboxDir,
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? apiUrl,
      // the printed sign-in path signs the maintainer in as an admin
      ADMIN_GITHUB_LOGINS: process.env.ADMIN_GITHUB_LOGINS ?? 'BlinkDL',
    };
    const logs = join(projectRoot(), '.cambrian', 'logs');
    const api = startChildService({ name: 'api', script: distEntry('api'), env, logFile: join(logs, 'api.log') });
    const worker = startChildService({ name: 'worker', script: distEntry('worker'), env, logFile: join(logs, 'worker.log') });
    children.push(api, worker);
    await waitForHttp(api, `${apiUrl}/health/ready`);
    say(`api at ${apiUrl} and a worker are running (logs in ${logs})`);

    dataSource = await openKeyedDataSource(config.DATABASE_URL, erasureKey);
    healthCache = SyncHealthCache.fromConfig(config);
    const progressService = new SyncProgressService(dataSource, new SyncHealthService(dataSource, healthCache), healthCache);
    const { secret: token } = await new ApiTokenService(dataSource).create({ name: 'demo', role: 'admin' });
    const graphqlUrl = `${apiUrl}/graphql`;

    await setUpEcosystem(graphqlUrl, token);
    const [{ id: ecosystemId }] = await dataSource.query(`SELECT id FROM ecosystem WHERE slug = $1`, [ECOSYSTEM.slug]);
    queue = new Queue(QueueName.GithubSync, {
      connection: redisConnectionOptions(config.REDIS_URL),
      prefix: config.QUEUE_PREFIX,
    });
    // a child that dies while the demo waits for it stops the demo with its log's name
    const childExit = Promise.race([api.exited, worker.exited]);
    await Promise.race([runSync(graphqlUrl, token, progressService, queue, ecosystemId, timeoutMs), childExit]);

    if (sim) await Promise.race([postWebhooks(sim, apiUrl, config, dataSource, ecosystemId, timeoutMs), childExit]);
    for (const line of await Promise.race([setUpDemoOrganizations(graphqlUrl, token, dataSource), childExit])) say(line);
    const redis = { url: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
    // after the organisations exist: profile companies are matched against them
    for (const line of await Promise.race([runDemoProfileSync(graphqlUrl, token, redis, dataSource, timeoutMs), childExit])) say(line);
    for (const line of await Promise.race([runDemoMergeSweep(graphqlUrl, token, redis, timeoutMs), childExit])) say(line);

    const stages = await stageSummaryLine(dataSource, ecosystemId, { url: config.REDIS_URL, prefix: config.QUEUE_PREFIX }, timeoutMs);
    // after the stages settle: the hackathon's retention reads first-time contributors from them
    for (const line of await Promise.race([runDemoHackathon(graphqlUrl, token, dataSource), childExit])) say(line);
    // after the hackathon: its participants' digests carry their team's allocations and results
    for (const line of await Promise.race([runDemoDigests(graphqlUrl, token, dataSource, outboxDir, timeoutMs), childExit])) say(line);
    await printSummary(graphqlUrl, dataSource, progressService, ecosystemId, { apiUrl, simUrl: sim?.url, token, stages });
    if (options.exit) {
      await shutdown();
      say('stopped the api, the worker and the simulator (--exit); the data stays in the database');
      return;
    }
    say('running until Ctrl-C');
    await childExit;
  } catch (error) {
    await shutdown();
    throw error;
  }
}

async function setUpEcosystem(graphqlUrl: string, token: string): Promise<void> {
  const existing = await graphqlRequest<{ ecosystem: unknown }>(graphqlUrl, ECOSYSTEM_QUERY, { slug: ECOSYSTEM.slug });
  if (!existing.ecosystem) {
    await graphqlRequest(graphqlUrl, CREATE_ECOSYSTEM, { slug: ECOSYSTEM.slug, name: ECOSYSTEM.name }, token);
  }
  for (const source of ECOSYSTEM.sources) {
    await graphqlRequest(graphqlUrl, ADD_TRACKED_SOURCE, { ecosystem: ECOSYSTEM.slug, ...source }, token);
  }
  say(
    `ecosystem "${ECOSYSTEM.slug}" tracks ${ECOSYSTEM.sources.map((source) => `${source.kind.toLowerCase()} ${source.name}`).join(', ')}`,
  );
}

async function runSync(
  graphqlUrl: string,
  token: string,
  progressService: SyncProgressService,
  queue: Queue,
  ecosystemId: number,
  timeoutMs: number,
): Promise<void> {
  const startedAt = new Date();
  const before = await progressService.progress(ecosystemId);
  const { startSync } = await graphqlRequest<{ startSync: { jobId: string; status: string } }>(
    graphqlUrl,
    START_SYNC,
    { ecosystem: ECOSYSTEM.slug },
    token,
  );
  say(`sync requested through GraphQL (job ${startSync.jobId}, ${startSync.status.toLowerCase()})`);
  const bar = new SingleBar({
    format: '  sync |{bar}| {value}/{total} repositories · {commits} commits · {pulls} pull requests · {requests} requests ({notModified} × 304)',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 2000,
  });
  bar.start(1, 0, { commits: 0, pulls: 0, requests: 0, notModified: 0 });
  try {
    await waitUntil(
      'the sync',
      async () => {
        const progress = await progressService.progress(ecosystemId, startedAt);
        bar.setTotal(Math.max(progress.repositories.total, 1));
        bar.update(progress.repositories.done, {
          commits: progress.commits,
          pulls: progress.pullRequests,
          requests: progress.requests - before.requests,
          notModified: progress.notModified - before.notModified,
        });
        // delayed jobs are left out: the reconciliation scheduler always keeps its next run there; a
        // sync delayed by a rate limit leaves its repository not done, which the check below sees
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
        const pending = Object.values(counts).reduce((sum, count) => sum + count, 0);
        const settled = progress.repositories.done + progress.repositories.failed;
        return pending === 0 && progress.repositories.total > 0 && settled === progress.repositories.total
          ? progress
          : undefined;
      },
      { timeoutMs, intervalMs: 500 },
    );
  } finally {
    bar.stop();
  }
  const progress = await progressService.progress(ecosystemId, startedAt);
  const requests = progress.requests - before.requests;
  const notModified = progress.notModified - before.notModified;
  say(
    `sync done: ${requests} GitHub API requests this run, ${notModified} of them answered 304 Not Modified ` +
      `(free: a 304 does not count against the rate limit)`,
  );
  if (progress.repositories.failed > 0) say(`${progress.repositories.failed} repositories failed to sync; see .cambrian/logs/worker.log`);
}

async function postWebhooks(
  sim: GithubSim,
  apiUrl: string,
  config: CambrianConfig,
  dataSource: DataSource,
  ecosystemId: number,
  timeoutMs: number,
): Promise<void> {
  const deliveries = sim.snapshot.repositories.flatMap((repository) =>
    buildActivityDeliveries(sim.snapshot, repository.repository.fullName),
  );
  const before = await readDemoCounts(dataSource, ecosystemId);
  const results = await emitWebhooks({
    targetUrl: `${apiUrl}/webhooks/github`,
    secret: config.GITHUB_WEBHOOK_SECRETS[0],
    deliveries,
  });
  const byStatus = new Map<number, number>();
  for (const result of results) byStatus.set(result.status, (byStatus.get(result.status) ?? 0) + 1);
  say(
    `posted ${results.length} signed webhook deliveries to /webhooks/github: ` +
      [...byStatus].map(([status, count]) => `${count} × ${status || 'no answer'}`).join(', '),
  );
  const accepted = results.filter((result) => result.status === 202).length;
  const counts = await waitUntil(
    'processing the webhook deliveries',
    async () => {
      const now = await readDemoCounts(dataSource, ecosystemId);
      return now.deliveriesDone - before.deliveriesDone >= accepted ? now : undefined;
    },
    { timeoutMs, intervalMs: 300 },
  );
  say(
    `the worker processed them: ${counts.deliveriesDone - before.deliveriesDone} done` +
      (counts.deliveriesFailed ? `, ${counts.deliveriesFailed} failed (see the webhook_delivery table)` : ''),
  );
}

async function printSummary(
  graphqlUrl: string,
  dataSource: DataSource,
  progressService: SyncProgressService,
  ecosystemId: number,
  urls: { apiUrl: string; simUrl?: string; token: string; stages: string },
): Promise<void> {
  const progress = await progressService.progress(ecosystemId);
  const counts = await readDemoCounts(dataSource, ecosystemId);
  const { leaderboard } = await graphqlRequest<TopContributors>(graphqlUrl, TOP_CONTRIBUTORS, { first: 10 });
  const lines = [
    '',
    `  repositories   ${progress.repositories.total}`,
    `  commits        ${progress.commits}  (distinct; a commit in several repositories counts once)`,
    `  pull requests  ${progress.pullRequests}`,
    `  members        ${counts.members} people (+ ${counts.bots} bots, which never rank)`,
    urls.stages,
    `  activities     ${progress.activities}`,
    `  API requests   ${progress.requests} in all syncs so far (${progress.notModified} answered 304 Not Modified)`,
    '',
    '  Top contributors of the last 365 days (GraphQL leaderboard):',
    ...leaderboard.entries.map(
      (entry) =>
        `  ${String(entry.rank).padStart(3)}. ${(entry.member.displayName ?? entry.member.login ?? '?').padEnd(24)} ` +
        `${(entry.member.login ? `@${entry.member.login}` : '(git e-mail only)').padEnd(22)} score ${String(entry.score).padStart(5)} · ` +
        [
          count(entry.commits, 'commit'),
          `${count(entry.pullRequestsOpened, 'PR')} opened`,
          `${entry.pullRequestsMerged} merged`,
          count(entry.reviews, 'review'),
          count(entry.issuesOpened, 'issue'),
          count(entry.comments, 'comment'),
        ].join(' · '),
    ),
    '',
    `  GraphQL          ${graphqlUrl}`,
    `  webhooks         ${urls.apiUrl}/webhooks/github`,
    ...(urls.simUrl ? [`  GitHub simulator ${urls.simUrl}  (e.g. ${urls.simUrl}/orgs/RWKV/repos)`] : []),
    `  admin token      ${urls.token}`,
    `  console          ${urls.apiUrl}/console/  (built by npm run build; "Sign in with GitHub" goes through the simulator)`,
    `  admin sign-in    ${urls.apiUrl}/auth/github?login=BlinkDL&return_to=/console/  (signs BlinkDL in as an admin: ADMIN_GITHUB_LOGINS, then opens the console)`,
    '',
    `  try: curl -s ${graphqlUrl} -H 'content-type: application/json' \\`,
    `         -d '{"query":"{ member(login: \\"BlinkDL\\") { displayName identities { platform githubLogin evidence } } }"}'`,
    '',
  ];
  console.log(lines.join('\n'));
}
