import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, GITHUB_TOKEN_BUDGET, SyncSchedulerService, type DiscoveryFanOut, type RedisTokenBudget, type RepositorySyncResult } from '#libs/github';
import { QueueModule, QueueName } from '#libs/queue';
import type { RateLimitWindowRecord } from '../../apps/github-sim/src/http/rate-limit.js';
import { createGithubSim, type GithubSim } from '../../apps/github-sim/src/server.js';
import { sharedSnapshot } from '../../apps/github-sim/src/testing/sim-data.js';
import { GithubSyncProcessorModule } from '../../apps/worker/src/processors/github-sync-processor.module.js';
import { followJob } from '../helpers/follow-job.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/**
 * GitHub's clock runs SPEEDUP times faster than the real one (the sim's windows, `Date`, resets);
 * the budget's waits are scaled to match. A job waits in-process for at most one GitHub second,
 * so a paced interval longer than that moves it back to the queue.
 */
const SPEEDUP = 20;
const LIMIT = 20;
const TOKEN = 'e2e-pacing-jobs';

describe('a sync job paced past its in-process wait is delayed, not failed (e2e, worker and queue)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;

  beforeAll(async () => {
    const started = Date.now();
    sim = await createGithubSim({
      snapshot: await sharedSnapshot(),
      port: 0,
      now: () => started + (Date.now() - started) * SPEEDUP,
      rateLimit: { limit: LIMIT, windowSeconds: 100 },
    });
    env = await createTestEnv();
    env.apply({
      GITHUB_API_URL: sim.url,
      GITHUB_TOKEN: TOKEN,
      GITHUB_WAIT_MS_PER_SECOND: String(1000 / SPEEDUP),
      GITHUB_MAX_IN_PROCESS_WAIT_SECONDS: '1',
      GITHUB_RESERVE_FRACTION: '0.25',
    });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncProcessorModule] }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app?.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
    for (const name of Object.values(QueueName)) await app?.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await app?.close();
    await env?.teardown();
    await sim?.close();
  });

  it('syncs every resource of a repository over several windows, delayed between them, with no 403 and the reserve left in each', async () => {
    const queue = app.get<Queue>(getQueueToken(QueueName.GithubSync));
    const scheduler = app.get(SyncSchedulerService);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('cuda', 'RWKV-CUDA');
    await ecosystems.track('cuda', { kind: 'repository', name: 'BlinkDL/RWKV-CUDA' });
    const discovery = await scheduler.requestDiscovery(ecosystem.id);
    expect((await followJob(queue, discovery.jobId)).state).toBe('completed');
    const fanOut = (await queue.getJob(discovery.jobId))!.returnvalue as DiscoveryFanOut;

    const { states, state } = await followJob(queue, fanOut.jobs[0].jobId);
    const job = (await queue.getJob(fanOut.jobs[0].jobId))!;
    expect(state).toBe('completed');
    expect(states.has('delayed')).toBe(true);
    expect(job.failedReason).toBeUndefined();
    expect((job.returnvalue as RepositorySyncResult).resources.map((resource) => resource.resource)).toEqual([...ALL_REPOSITORY_RESOURCES]);

    const { windows } = (await (await fetch(`${sim.url}/_sim/rate-limit/windows`)).json()) as { windows: RateLimitWindowRecord[] };
    const mine = windows.filter((window) => window.key === `token:${TOKEN}`);
    expect(mine.length).toBeGreaterThanOrEqual(2);
    for (const window of mine) {
      expect(window.refused).toBe(0);
      expect(window.minRemaining).toBeGreaterThanOrEqual(LIMIT * 0.25);
    }
  });
});
