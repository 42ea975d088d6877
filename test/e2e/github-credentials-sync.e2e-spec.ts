import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { Command } from 'commander';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, EcosystemSyncService, GithubCredentialService, GithubCredentialsModule, GithubSyncModule } from '#libs/github';
import { QueueName } from '#libs/queue';
import { secretKeyId, SecretsExceptionCode } from '#libs/secrets';
import { registerSecretsCommand } from '../../apps/cli/src/commands/secrets.command.js';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import type { LoggedRequest, RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

const ENV_TOKEN = 'environment-token';
const STORED_TOKEN = `stored-token-${randomBytes(8).toString('hex')}`;
const APP_ID = 4242;
const INSTALLATION = 777;
const KEY_A = randomBytes(32).toString('base64');
const KEY_B = randomBytes(32).toString('base64');
const idOf = (key: string) => secretKeyId(Buffer.from(key, 'base64'));

async function requestLog(sim: GithubSim): Promise<LoggedRequest[]> {
  return ((await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot).requests;
}

/** Starts the sync (or only the credential store) with these extra variables; `init` runs the start-up key check. */
async function start(env: TestEnv, sim: GithubSim, extra: Record<string, string>, module: 'sync' | 'credentials' = 'sync'): Promise<INestApplicationContext> {
  for (const name of ['CAMBRIAN_SECRETS_KEY', 'CAMBRIAN_SECRETS_OLD_KEYS']) delete process.env[name];
  env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: ENV_TOKEN, GITHUB_WAIT_MS_PER_SECOND: '1', ...extra });
  const imports = [ConfigModule, DatabaseModule, module === 'sync' ? GithubSyncModule : GithubCredentialsModule];
  return (await Test.createTestingModule({ imports }).compile()).init();
}

async function stop(app: INestApplicationContext | undefined, withQueues = true): Promise<void> {
  if (!app) return;
  if (withQueues) for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
  await app.close();
}

async function rotate(): Promise<{ stdout: string; stderr: string }> {
  const out = { stdout: '', stderr: '' };
  const program = new Command('cambrian').exitOverride();
  registerSecretsCommand(program, { stdout: (text) => (out.stdout += text), stderr: (text) => (out.stderr += text) });
  await program.parseAsync(['node', 'cambrian', 'secrets', 'rotate']);
  return out;
}

describe('stored GitHub credentials: syncs use them; keys and rotation (e2e, sim)', () => {
  const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let sim: GithubSim;
  let env: TestEnv;
  let db: pg.Pool;

  beforeAll(async () => {
    sim = await createGithubSim({
      snapshot: await sharedSnapshot(),
      port: 0,
      githubApp: { appId: APP_ID, publicKey: appKeys.publicKey, installations: [{ id: INSTALLATION, account: 'BlinkDL' }], tokenTtlSeconds: 3600 },
    });
    env = await createTestEnv();
    // an installation that has always run with KEY_A: its erasure hash key is sealed under it too
    await env.database.sealErasureKeyUnder(KEY_A);
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
  });

  afterAll(async () => {
    for (const name of ['CAMBRIAN_SECRETS_KEY', 'CAMBRIAN_SECRETS_OLD_KEYS', 'NODE_ENV']) delete process.env[name];
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it("syncs an ecosystem with its stored token, another with its stored App, and one without with the environment's token", async () => {
    const app = await start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_A });
    try {
      const ecosystems = app.get(EcosystemService);
      const credentials = app.get(GithubCredentialService);
      for (const [slug, repository] of [['stored', 'BlinkDL/RWKV-CUDA'], ['app', 'BlinkDL/ChatRWKV'], ['plain', 'RWKV/rwkv.cpp']]) {
        await ecosystems.ensure(slug, slug);
        await ecosystems.track(slug, { kind: 'repository', name: repository });
      }
      await credentials.setToken('stored', STORED_TOKEN, 'test');
      await credentials.setApp('app', { appId: APP_ID, installationId: INSTALLATION, privateKey: appKeys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() }, 'test');

      const clientsOf = async (slug: string) => {
        const before = (await requestLog(sim)).length;
        const result = await app.get(EcosystemSyncService).syncInProcess((await ecosystems.getBySlug(slug)).id, { resources: ['commits', 'pulls'] });
        expect(result.failures).toEqual([]);
        expect(result.repositories).toHaveLength(1);
        const requests = (await requestLog(sim)).slice(before);
        expect(requests.length).toBeGreaterThan(2);
        return new Set(requests.map((request) => request.client));
      };
      expect(await clientsOf('stored')).toEqual(new Set([STORED_TOKEN]));
      expect(await clientsOf('app')).toEqual(new Set([`app:${APP_ID}`, `installation:${INSTALLATION}`]));
      expect(await clientsOf('plain')).toEqual(new Set([ENV_TOKEN]));

      // cleared: the ecosystem falls back to the environment's token
      await credentials.clearIdentity('stored');
      expect(await clientsOf('stored')).toEqual(new Set([ENV_TOKEN]));
      await credentials.setToken('stored', STORED_TOKEN, 'test');
      expect(await clientsOf('stored')).toEqual(new Set([STORED_TOKEN]));
    } finally {
      await stop(app);
    }
  }, 180_000);

  it("names the ecosystem's stored App, not the environment's GITHUB_APP_PRIVATE_KEY, when GitHub refuses its key", async () => {
    const app = await start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_A });
    try {
      const ecosystems = app.get(EcosystemService);
      await ecosystems.ensure('wrong-app', 'wrong-app');
      await ecosystems.track('wrong-app', { kind: 'repository', name: 'BlinkDL/RWKV-LM' });
      // a well-formed key of no App the simulator knows: GitHub answers 401 to its JSON web token
      const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      await app.get(GithubCredentialService).setApp('wrong-app', { appId: APP_ID, installationId: INSTALLATION, privateKey: otherKey }, 'test');
      const ecosystemId = (await ecosystems.getBySlug('wrong-app')).id;
      const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId, { resources: ['commits'] });
      // discovery reports a source it could not list among its sources; a repository sync among the failures
      const message = [...result.failures.map((failure) => failure.error), ...result.discovery.sources.map((source) => JSON.stringify(source))].join('\n');
      expect(message).toContain(`GitHub refused the JSON web token of GitHub App ${APP_ID}`);
      expect(message).toContain(`the GitHub App private key stored for ecosystem ${ecosystemId}`);
      expect(message).toContain('setGithubApp');
      expect(message).not.toContain('GITHUB_APP_PRIVATE_KEY');
      expect(message).not.toContain('GITHUB_APP_ID');
    } finally {
      await app.get(GithubCredentialService).clearIdentity('wrong-app');
      await stop(app);
    }
  }, 300_000);

  it('refuses to start with a key that cannot open the stored rows, naming the key ids; in production without a key, naming CAMBRIAN_SECRETS_KEY', async () => {
    // the erasure hash key, sealed under KEY_A like the credentials, is opened first (DatabaseModule)
    await expect(start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_B }, 'credentials')).rejects.toThrow(
      new RegExp(`encrypted under key ${idOf(KEY_A)}, which this process does not have \\(CAMBRIAN_SECRETS_KEY is key ${idOf(KEY_B)}; CAMBRIAN_SECRETS_OLD_KEYS is empty\\)`),
    );
    await expect(start(env, sim, { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'production-secret' }, 'credentials')).rejects.toThrow(
      /encrypted under key k[0-9a-f]{8}, which this process does not have \(CAMBRIAN_SECRETS_KEY is not set; CAMBRIAN_SECRETS_OLD_KEYS is empty\)/,
    );
    // with the erasure key readable (an old key) but not the credentials: the credentials' own start-up check
    const erasureOnly = randomBytes(32).toString('base64');
    await env.database.sealErasureKeyUnder(erasureOnly, [KEY_A]);
    try {
      await expect(start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_B, CAMBRIAN_SECRETS_OLD_KEYS: erasureOnly }, 'credentials')).rejects.toThrow(
        new RegExp(`cannot decrypt \\(\\d+ under key ${idOf(KEY_A)}\\); CAMBRIAN_SECRETS_KEY is key ${idOf(KEY_B)}`),
      );
      await expect(
        start(env, sim, { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'production-secret', CAMBRIAN_SECRETS_OLD_KEYS: erasureOnly }, 'credentials'),
      ).rejects.toThrow(/github_credential holds encrypted credentials \(\d+ under key k[0-9a-f]{8}(, \d+ under key k[0-9a-f]{8})*\) but CAMBRIAN_SECRETS_KEY is not set/);
    } finally {
      await env.database.sealErasureKeyUnder(KEY_A, [erasureOnly]);
      process.env.NODE_ENV = 'test';
    }
  });

  it('reads old rows with CAMBRIAN_SECRETS_OLD_KEYS; `cambrian secrets rotate` re-encrypts them under the new key, after which the old key is not needed', async () => {
    const before = (await db.query(`SELECT id, key_id, sealed, fingerprint FROM github_credential ORDER BY id`)).rows;
    expect(new Set(before.map((row) => row.key_id))).toEqual(new Set([idOf(KEY_A)]));
    const stored = (await db.query(`SELECT id FROM ecosystem WHERE slug = 'stored'`)).rows[0].id as number;

    const both = await start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_B, CAMBRIAN_SECRETS_OLD_KEYS: KEY_A }, 'credentials');
    try {
      expect(await both.get(GithubCredentialService).identityFor(stored)).toMatchObject({ kind: 'token', token: STORED_TOKEN });
      const first = await rotate();
      expect(first.stdout).toBe(`key ${idOf(KEY_B)}: ${before.length} credentials re-encrypted, 0 already under it; erasure hash key re-encrypted\n`);
      expect(`${first.stdout}${first.stderr}`).not.toContain(STORED_TOKEN);
      const second = await rotate();
      expect(second.stdout).toBe(`key ${idOf(KEY_B)}: 0 credentials re-encrypted, ${before.length} already under it; erasure hash key already under it\n`);
    } finally {
      await stop(both, false);
    }
    const after = (await db.query(`SELECT id, key_id, sealed, fingerprint FROM github_credential ORDER BY id`)).rows;
    expect(after.map((row) => [row.id, row.key_id, row.fingerprint])).toEqual(before.map((row) => [row.id, idOf(KEY_B), row.fingerprint]));
    after.forEach((row, index) => expect(Buffer.compare(row.sealed, before[index].sealed)).not.toBe(0));

    const onlyNew = await start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_B });
    try {
      expect(await onlyNew.get(GithubCredentialService).identityFor(stored)).toMatchObject({ kind: 'token', token: STORED_TOKEN });
      const before = (await requestLog(sim)).length;
      const result = await onlyNew.get(EcosystemSyncService).syncInProcess(stored, { resources: ['commits'] });
      expect(result.failures).toEqual([]);
      expect(new Set((await requestLog(sim)).slice(before).map((request) => request.client))).toEqual(new Set([STORED_TOKEN]));
    } finally {
      await stop(onlyNew);
    }
    // the old key alone no longer opens them
    await expect(start(env, sim, { CAMBRIAN_SECRETS_KEY: KEY_A }, 'credentials')).rejects.toThrow(new RegExp(`under key ${idOf(KEY_B)}`));
  }, 300_000);

  it('in production with no current key (only an old one, which opens the erasure hash key): starts while no credential is stored, and refuses to store one naming CAMBRIAN_SECRETS_KEY', async () => {
    await db.query(`DELETE FROM github_credential`);
    const app = await start(env, sim, { NODE_ENV: 'production', GITHUB_WEBHOOK_SECRETS: 'production-secret', CAMBRIAN_SECRETS_OLD_KEYS: KEY_B }, 'credentials');
    try {
      await expect(app.get(GithubCredentialService).setToken('stored', STORED_TOKEN, 'test')).rejects.toMatchObject({
        code: SecretsExceptionCode.KEY_MISSING,
        message: expect.stringMatching(/^CAMBRIAN_SECRETS_KEY is not set/),
      });
      expect((await db.query(`SELECT count(*)::int AS n FROM github_credential`)).rows[0].n).toBe(0);
    } finally {
      await stop(app, false);
      process.env.NODE_ENV = 'test';
    }
  });
});
