import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ApiTokenService } from '#libs/auth';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemSyncService, GithubSyncModule } from '#libs/github';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const DAY = 24 * 3_600_000;

/**
 * End to end: the ecosystem is configured through GraphQL mutations with an admin token, the
 * real sync runs against the simulator seeded from the RWKV export, and GraphQL answers the
 * top contributors with real logins from that history.
 */
describe('GraphQL over the synced RWKV ecosystem (sim → sync → GraphQL)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let client: GraphqlClient;
  let token: string;
  /** UTC instant of the newest commit in the data: windows are set relative to it, not to the clock. */
  let newest: Date;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-graphql-token' });
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
    token = (await api.get(ApiTokenService, { strict: false }).create({ name: 'rwkv e2e', role: 'admin' })).secret;

    await client.data(`mutation { createEcosystem(slug: "rwkv", name: "RWKV") { slug } }`, {}, { token });
    for (const [kind, name] of [
      ['USER', 'BlinkDL'],
      ['ORGANIZATION', 'RWKV'],
      ['REPOSITORY', 'josStorer/RWKV-Runner'],
    ]) {
      await client.data(
        `mutation Track($kind: TrackedSourceKind!, $name: String!) { addTrackedSource(ecosystem: "rwkv", kind: $kind, name: $name) { created } }`,
        { kind, name },
        { token },
      );
    }

    // the sync runs in-process (as a worker would), on the same database
    worker = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    const [{ id }] = await worker.get(DataSource).query(`SELECT id FROM ecosystem WHERE slug = 'rwkv'`);
    const result = await worker.get(EcosystemSyncService).syncInProcess(id, { concurrency: 3 });
    expect(result.failures).toEqual([]);
    const [{ max }] = await worker.get(DataSource).query(`SELECT max(occurred_at) AS max FROM activity WHERE type = 'commit'`);
    newest = new Date(max);
  }, 180_000);

  afterAll(async () => {
    if (worker) {
      for (const name of Object.values(QueueName)) await worker.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await worker.close();
    }
    await api?.close();
    await env?.teardown();
    await sim?.close();
  });

  it('answers the ecosystem with its six repositories', async () => {
    const { ecosystem, repositories } = await client.data(
      `{ ecosystem(slug: "rwkv") { repositoryCount trackedSources { kind name } } repositories(ecosystem: "rwkv") { fullName } }`,
    );
    expect(ecosystem.repositoryCount).toBe(6);
    expect(repositories.map((repository: any) => repository.fullName)).toContain('BlinkDL/RWKV-LM');
  });

  it('ranks real people for the year up to the newest commit, bots never', async () => {
    const { leaderboard } = await client.data(
      `query Board($since: DateTime!, $until: DateTime!) {
        leaderboard(period: { since: $since, until: $until }, first: 10) {
          entries { rank score commits pullRequestsOpened member { login displayName kind } }
        }
      }`,
      { since: new Date(newest.getTime() - 365 * DAY).toISOString(), until: new Date(newest.getTime() + 1000).toISOString() },
    );
    expect(leaderboard.entries.length).toBeGreaterThan(3);
    for (const entry of leaderboard.entries) {
      expect(entry.member.kind).toBe('PERSON');
      expect(entry.member.login ?? entry.member.displayName).toBeTruthy();
      expect(entry.member.login ?? '').not.toMatch(/\[bot\]$/);
    }
    const scores = leaderboard.entries.map((entry: any) => entry.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("ranks BlinkDL among the top three of all time and shows BlinkDL's history", async () => {
    const { leaderboard, member } = await client.data(`{
      leaderboard(period: { preset: ALL_TIME }, first: 3) { entries { member { login } commits } }
      member(login: "blinkdl") { login identities { platform githubLogin email } recentActivities(first: 5) { type sha repository { fullName } } }
    }`);
    // git-only e-mail identities are members of their own until identity merging links them
    const blinkdl = leaderboard.entries.find((entry: any) => entry.member.login === 'BlinkDL');
    expect(blinkdl.commits).toBeGreaterThan(100);
    expect(member.login).toBe('BlinkDL');
    expect(member.identities.every((identity: any) => identity.email === null)).toBe(true);
    expect(member.recentActivities).toHaveLength(5);
  });

  it('pages through members of BlinkDL/RWKV-LM', async () => {
    const { members } = await client.data(
      `{ members(first: 5, filter: { repository: "blinkdl/rwkv-lm", type: COMMIT }) { totalCount edges { activityCount node { login } } } }`,
    );
    expect(members.totalCount).toBeGreaterThan(5);
    expect(members.edges).toHaveLength(5);
  });
});
