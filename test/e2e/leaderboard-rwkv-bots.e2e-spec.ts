import { getQueueToken } from '@nestjs/bullmq';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, EcosystemSyncService, GithubSyncModule } from '#libs/github';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { createApiApp } from '../../apps/api/src/bootstrap.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';
import { GraphqlClient } from './graphql-client.js';

const BOTS = ['dependabot[bot]', 'github-actions[bot]'];

/**
 * The demo's data: josStorer/RWKV-Runner holds commits by github-actions[bot] and
 * dependabot[bot]. After the real sync (simulator seeded from the RWKV export) they are bot
 * members with activities, and no leaderboard or contributor metric ever lists them — whatever
 * the window, repository or weights.
 */
describe('RWKV-Runner bots never rank (sim → sync → GraphQL)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let api: NestFastifyApplication;
  let worker: INestApplicationContext;
  let client: GraphqlClient;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-bots-token' });
    worker = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    const ecosystems = worker.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'repository', name: 'josStorer/RWKV-Runner' });
    const result = await worker.get(EcosystemSyncService).syncInProcess(ecosystem.id, { concurrency: 1 });
    expect(result.failures).toEqual([]);
    api = await createApiApp({ logger: false });
    client = await GraphqlClient.listen(api);
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

  it('knows the bots as bot members with commits in RWKV-Runner', async () => {
    const rows: Array<{ login: string; kind: string; commits: number }> = await worker.get(DataSource).query(
      `SELECT m.login, m.kind, count(*)::int AS commits FROM activity a JOIN member m ON m.id = a.member_id
        WHERE a.type = 'commit' AND m.login = ANY($1) GROUP BY m.login, m.kind ORDER BY m.login`,
      [BOTS],
    );
    expect(rows.map((row) => [row.login, row.kind])).toEqual(BOTS.map((login) => [login, 'bot']));
    expect(rows.every((row) => row.commits > 0)).toBe(true);
  });

  it.each([
    ['all repositories, all time', `period: { preset: ALL_TIME }`],
    ['RWKV-Runner only', `period: { preset: ALL_TIME }, repository: "josStorer/RWKV-Runner"`],
    ['weights that favour what the bots do', `period: { preset: ALL_TIME }, weights: { commits: 100, pullRequestsOpened: 100 }`],
  ])('leaves them out of the leaderboard: %s', async (_label, args) => {
    const { leaderboard } = await client.data(`{ leaderboard(first: 100, ${args}) { entries { member { login kind } } } }`);
    expect(leaderboard.entries.length).toBeGreaterThan(5);
    for (const entry of leaderboard.entries) {
      expect(entry.member.kind).toBe('PERSON');
      expect(BOTS).not.toContain(entry.member.login);
      expect(entry.member.login ?? '').not.toMatch(/\[bot\]$/);
    }
  });

  it('leaves them out of the contributor metrics', async () => {
    const { communityMetrics } = await client.data(`{
      communityMetrics(repository: "josStorer/RWKV-Runner", period: { preset: ALL_TIME }) {
        newContributors(first: 100) { count contributors { member { login kind } } }
        contributorAbsenceFactor { factor contributors { member { login kind } } }
      }
    }`);
    const members = [
      ...communityMetrics.newContributors.contributors.map((entry: any) => entry.member),
      ...communityMetrics.contributorAbsenceFactor.contributors.map((entry: any) => entry.member),
    ];
    expect(communityMetrics.contributorAbsenceFactor.factor).toBeGreaterThan(0);
    expect(members.length).toBeGreaterThan(1);
    expect(members.every((member: any) => member.kind === 'PERSON' && !BOTS.includes(member.login))).toBe(true);
  });
});
