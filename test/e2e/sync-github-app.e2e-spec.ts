import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, createGithubClient, EcosystemService, EcosystemSyncService, GithubSyncModule, Semaphore } from '#libs/github';
import { QueueName } from '#libs/queue';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const APP_ID = 31337;
const INSTALLATION = 4711;
/**
 * Installation tokens live this long in the sim (GitHub: one hour), so several expire during a sync.
 * A token is replaced a quarter of its life before expiry (1 s here), and again when it came within
 * that margin while its request waited for a budget slot.
 */
const TOKEN_TTL_SECONDS = 4;

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

async function requestLog(sim: GithubSim): Promise<LoggedRequest[]> {
  return ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot).requests;
}

async function startApp(env: TestEnv, sim: GithubSim, privateKeyPem: string): Promise<INestApplicationContext> {
  env.apply({
    GITHUB_API_URL: sim.url,
    GITHUB_TOKEN: '',
    GITHUB_APP_ID: String(APP_ID),
    GITHUB_APP_PRIVATE_KEY: privateKeyPem,
    GITHUB_APP_INSTALLATION_ID: String(INSTALLATION),
  });
  return (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
}

async function closeApp(app: INestApplicationContext | undefined): Promise<void> {
  if (!app) return;
  for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
  await app.close();
}

describe('sync through a GitHub App installation (e2e, sim with short-lived installation tokens)', () => {
  const keys = pem();
  let sim: GithubSim;
  let env: TestEnv;

  beforeAll(async () => {
    sim = await createGithubSim({
      snapshot: await sharedSnapshot(),
      port: 0,
      githubApp: { appId: APP_ID, publicKey: keys.publicKey, installations: [{ id: INSTALLATION, account: 'BlinkDL' }], tokenTtlSeconds: TOKEN_TTL_SECONDS },
    });
    env = await createTestEnv();
  });

  afterAll(async () => {
    await env?.teardown();
    await sim?.close();
    for (const name of ['GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_INSTALLATION_ID']) delete process.env[name];
  });

  it('keeps syncing while installation tokens expire: each is replaced before GitHub refuses it', async () => {
    const app = await startApp(env, sim, keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    try {
      const ecosystems = app.get(EcosystemService);
      await ecosystems.ensure('blink', 'BlinkDL');
      await ecosystems.track('blink', { kind: 'user', name: 'BlinkDL' });
      const ecosystemId = (await ecosystems.getBySlug('blink')).id;
      const sync = () => app.get(EcosystemSyncService).syncInProcess(ecosystemId, { resources: ALL_REPOSITORY_RESOURCES });

      const first = await sync();
      expect(first.failures).toEqual([]);
      expect(first.repositories.length).toBeGreaterThan(0);
      const issuedAfterFirst = sim.githubApp!.issued;
      expect(issuedAfterFirst).toBeGreaterThanOrEqual(1);

      // the token of the first run is past its expiry now; the next run must not send it
      await sleep(TOKEN_TTL_SECONDS * 1000 + 500);
      const second = await sync();
      expect(second.failures).toEqual([]);
      expect(sim.githubApp!.issued).toBeGreaterThan(issuedAfterFirst);

      const log = await requestLog(sim);
      expect(log.filter((request) => request.status === 401)).toEqual([]);
      const tokenRequests = log.filter((request) => request.url === `/app/installations/${INSTALLATION}/access_tokens`);
      expect(tokenRequests.map((request) => [request.method, request.status, request.client])).toEqual(
        tokenRequests.map(() => ['POST', 201, `app:${APP_ID}`]),
      );
      // every other request spent the installation's budget, whichever token carried it
      const others = log.filter((request) => !tokenRequests.includes(request));
      expect(new Set(others.map((request) => request.client))).toEqual(new Set([`installation:${INSTALLATION}`]));
    } finally {
      await closeApp(app);
    }
  }, 300_000);

  it('replaces an installation token that expired while its request waited for a budget slot, instead of sending it into a 401', async () => {
    const limiter = new Semaphore(1);
    const privateKey = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const client = createGithubClient({ baseUrl: sim.url, app: { appId: APP_ID, privateKey, installationId: INSTALLATION }, maxConcurrency: 1, limiter });
    const repository = { owner: 'BlinkDL', repo: 'RWKV-LM' };
    expect((await client.request('GET /repos/{owner}/{repo}', repository)).status).toBe(200); // a token is issued
    const seen = (await requestLog(sim)).length;
    const issued = sim.githubApp!.issued;

    let release!: () => void;
    const slotTaken = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    // the token is attached now, then the request waits for the only slot until that token has expired
    const waiting = client.request('GET /repos/{owner}/{repo}', repository);
    await sleep(TOKEN_TTL_SECONDS * 1000 + 500);
    release();
    await slotTaken;
    expect((await waiting).status).toBe(200);

    const sent = (await requestLog(sim)).slice(seen);
    expect(sent.map((request) => [request.method, request.url, request.status])).toEqual([
      ['POST', `/app/installations/${INSTALLATION}/access_tokens`, 201],
      ['GET', '/repos/BlinkDL/RWKV-LM', 200],
    ]);
    expect(sim.githubApp!.issued).toBe(issued + 1);
  });

  it("fails with an error naming GITHUB_APP_PRIVATE_KEY when the key is not the App's", async () => {
    const app = await startApp(env, sim, pem().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    try {
      const ecosystems = app.get(EcosystemService);
      await ecosystems.ensure('wrong-key', 'Wrong key');
      await ecosystems.track('wrong-key', { kind: 'repository', name: 'BlinkDL/RWKV-LM' });
      const result = await app.get(EcosystemSyncService).syncInProcess((await ecosystems.getBySlug('wrong-key')).id);
      const error = result.discovery.sources[0].error;
      expect(error).toContain(`GitHub refused the JSON web token of GitHub App ${APP_ID}`);
      expect(error).toContain('GITHUB_APP_PRIVATE_KEY');
    } finally {
      await closeApp(app);
    }
  });
});
