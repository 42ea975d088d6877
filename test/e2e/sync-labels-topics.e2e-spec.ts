import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import pg from 'pg';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { EcosystemService, EcosystemSyncService, GithubSyncModule } from '#libs/github';
import { QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * Case H1 on the REST path (../shared/cases/hackathons.md): a label added to a pull request and a
 * topic removed from a repository after the fact are seen by the next sync, against the RWKV sim.
 */
describe('sync: pull request labels and repository topics, and their changes, reach the database (e2e, RWKV sim)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let db: pg.Pool;
  let ecosystemId: number;
  let pullNumber: number;

  const sync = async () => {
    const result = await app.get(EcosystemSyncService).syncInProcess(ecosystemId, { concurrency: 3, resources: ['pulls'] });
    expect(result.failures).toEqual([]);
  };
  const admin = async (path: string, body: unknown) => {
    const response = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(204);
  };
  const topics = async () =>
    (await db.query(`SELECT topics FROM repository WHERE lower(full_name) = 'blinkdl/rwkv-lm'`)).rows[0].topics as string[] | null;
  const labels = async () =>
    (
      await db.query(
        `SELECT pr.labels FROM pull_request pr JOIN repository r ON r.id = pr.repository_id WHERE lower(r.full_name) = 'blinkdl/rwkv-lm' AND pr.number = $1`,
        [pullNumber],
      )
    ).rows[0].labels as string[] | null;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-labels-topics-token' });
    app = await (await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, GithubSyncModule] }).compile()).init();
    db = new pg.Pool({ connectionString: env.database.url, max: 2 });
    db.on('error', () => undefined);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('rwkv', 'RWKV');
    await ecosystems.track('rwkv', { kind: 'repository', name: 'BlinkDL/RWKV-LM' });
    ecosystemId = ecosystem.id;
    const data = sim.snapshot.byFullName.get('blinkdl/rwkv-lm')!;
    pullNumber = data.pulls[0].number;
    await sync();
  }, 300_000);

  afterAll(async () => {
    if (app) {
      for (const name of Object.values(QueueName)) await app.get<Queue>(getQueueToken(name)).obliterate({ force: true });
      await app.close();
    }
    await db?.end();
    await env?.teardown();
    await sim?.close();
  });

  it('stores the recorded data as no topics and no labels (known empty, not unknown)', async () => {
    expect(await topics()).toEqual([]);
    expect(await labels()).toEqual([]);
    const { rows } = await db.query(`SELECT count(*)::int AS unknown FROM pull_request WHERE labels IS NULL`);
    expect(rows[0].unknown).toBe(0);
  });

  it('a topic added and a spam label added later are stored by the next sync; removed, they are gone after the one after', async () => {
    await admin('/_sim/repositories/topics', { repository: 'BlinkDL/RWKV-LM', topics: ['rwkv', 'hacktoberfest'] });
    await admin('/_sim/pulls/labels', { repository: 'BlinkDL/RWKV-LM', number: pullNumber, labels: ['Hacktoberfest-Spam'] });
    await sync();
    expect(await topics()).toEqual(['rwkv', 'hacktoberfest']);
    expect(await labels()).toEqual(['Hacktoberfest-Spam']);

    await admin('/_sim/repositories/topics', { repository: 'BlinkDL/RWKV-LM', topics: [] });
    await admin('/_sim/pulls/labels', { repository: 'BlinkDL/RWKV-LM', number: pullNumber, labels: [] });
    await sync();
    expect(await topics()).toEqual([]);
    expect(await labels()).toEqual([]);
  });
});
