import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, GITHUB_TOKEN_BUDGET, SyncSchedulerService, type DiscoveryFanOut, type RedisTokenBudget, type RepositorySyncResult } from '#libs/github';
import { QueueModule, QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import type { RequestLogSnapshot } from '../../apps/github-sim/src/http/request-log.js';
import { GithubSyncProcessorModule } from '../../apps/worker/src/processors/github-sync-processor.module.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { followJob } from '../helpers/follow-job.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** One GitHub second lasts SCALE ms; a job waits in-process for at most 30 GitHub seconds (300 ms). */
const SCALE = 10;
const TOKEN = 'e2e-rate-limit-jobs';
const COMMITS = '/repos/BlinkDL/RWKV-CUDA/commits';

async function requestLog(sim: GithubSim): Promise<RequestLogSnapshot> {
  return (await (await fetch(`${sim.url}/_sim/requests`)).json()) as RequestLogSnapshot;
}

describe('a rate-limited sync job is delayed, not failed (e2e, worker and queue)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let queue: Queue;
  let scheduler: SyncSchedulerService;
  let repositoryId: number;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({
      GITHUB_API_URL: sim.url,
      GITHUB_TOKEN: TOKEN,
      GITHUB_WAIT_MS_PER_SECOND: String(SCALE),
      GITHUB_MAX_IN_PROCESS_WAIT_SECONDS: '30',
    });
    const moduleRef = await Test.createTestingModule({ imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncProcessorModule] }).compile();
    app = await moduleRef.init();
    queue = app.get<Queue>(getQueueToken(QueueName.GithubSync));
    scheduler = app.get(SyncSchedulerService);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('cuda', 'RWKV-CUDA');
    await ecosystems.track('cuda', { kind: 'repository', name: 'BlinkDL/RWKV-CUDA' });
    const discovery = await scheduler.requestDiscovery(ecosystem.id);
    expect((await followJob(queue, discovery.jobId)).state).toBe('completed');
    const fanOut = (await queue.getJob(discovery.jobId))!.returnvalue as DiscoveryFanOut;
    repositoryId = fanOut.discovery.repositoryIds[0];
    expect((await followJob(queue, fanOut.jobs[0].jobId)).state).toBe('completed');
  });

  afterAll(async () => {
    await app?.get<RedisTokenBudget>(GITHUB_TOKEN_BUDGET).clear();
    for (const name of Object.values(QueueName)) await app?.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await app?.close();
    await env?.teardown();
    await sim?.close();
  });

  afterEach(() => sim.faults.clear());

  it.each([
    ['S1', 60, 60],
    ['S2', undefined, 60],
  ])('%s: a secondary limit (retry-after %s) longer than the in-process wait moves the job back to the queue until the pause ends', async (_case, retryAfterSeconds, pauseSeconds) => {
    sim.faults.add({ kind: 'secondary-rate-limit', count: 1, pathPrefix: COMMITS, retryAfterSeconds });
    const request = await scheduler.requestRepositorySync(repositoryId);
    const { states, state } = await followJob(queue, request.jobId);
    const job = (await queue.getJob(request.jobId))!;
    expect(state).toBe('completed');
    expect(states.has('delayed')).toBe(true);
    expect(job.failedReason).toBeUndefined();
    expect((job.returnvalue as RepositorySyncResult).resources.map((resource) => resource.resource)).toEqual([
      ...ALL_REPOSITORY_RESOURCES,
    ]);

    const log = await requestLog(sim);
    const limited = log.requests.filter((r) => r.client === TOKEN && r.status === 403);
    expect(limited).toHaveLength(1);
    const during = log.requests.filter((r) => r !== limited[0] && r.client === TOKEN && r.at >= limited[0].finishedAt && r.at < limited[0].finishedAt + pauseSeconds * SCALE);
    expect(during).toEqual([]);
    await fetch(`${sim.url}/_sim/reset`, { method: 'POST' });
  });
});
