import { setTimeout as sleep } from 'node:timers/promises';
import { getQueueToken } from '@nestjs/bullmq';
import { Test } from '@nestjs/testing';
import type { INestApplicationContext } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { ALL_REPOSITORY_RESOURCES, EcosystemService, SyncSchedulerService, type DiscoveryFanOut, type RepositorySyncResult } from '#libs/github';
import { QueueModule, QueueName } from '#libs/queue';
import type { GithubSim } from '../../apps/github-sim/src/server.js';
import { GithubSyncProcessorModule } from '../../apps/worker/src/processors/github-sync-processor.module.js';
import { followJob } from '../helpers/follow-job.js';
import { startRwkvSim } from '../helpers/github-sim.js';
import { createTestEnv, type TestEnv } from '../helpers/test-env.js';

/** A hang guard for the waits below, not an expectation (a fresh worker on a loaded machine is slow). */
const HANG_GUARD_MS = 120_000;

/** Waits until the job has completed or failed (BullMQ runs it in this process's worker), then reads it. */
async function finished(queue: Queue, jobId: string): Promise<Job> {
  await followJob(queue, jobId, HANG_GUARD_MS);
  return (await queue.getJob(jobId))!;
}

async function becomesActive(queue: Queue, jobId: string): Promise<void> {
  for (const deadline = Date.now() + HANG_GUARD_MS; Date.now() < deadline; ) {
    const state = await queue.getJobState(jobId);
    if (state === 'active') return;
    if (state === 'completed' || state === 'failed') throw new Error(`job ${jobId} was ${state} before it was seen active`);
    await sleep(10);
  }
  throw new Error(`job ${jobId} never became active`);
}

describe('github-sync jobs through a real worker and queue (e2e)', () => {
  let sim: GithubSim;
  let env: TestEnv;
  let app: INestApplicationContext;
  let queue: Queue;
  let scheduler: SyncSchedulerService;
  let repositoryId: number;
  let firstSyncJobId: string;

  beforeAll(async () => {
    sim = await startRwkvSim();
    env = await createTestEnv();
    env.apply({ GITHUB_API_URL: sim.url, GITHUB_TOKEN: 'e2e-jobs-token', WORKER_CONCURRENCY: '2' });
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, QueueModule, GithubSyncProcessorModule],
    }).compile();
    app = await moduleRef.init();
    queue = app.get<Queue>(getQueueToken(QueueName.GithubSync));
    scheduler = app.get(SyncSchedulerService);
    const ecosystems = app.get(EcosystemService);
    const { ecosystem } = await ecosystems.ensure('cuda', 'RWKV-CUDA');
    await ecosystems.track('cuda', { kind: 'repository', name: 'BlinkDL/RWKV-CUDA' });

    const discovery = await scheduler.requestDiscovery(ecosystem.id);
    const discoveryJob = await finished(queue, discovery.jobId);
    expect(discoveryJob.failedReason).toBeUndefined();
    const fanOut = discoveryJob.returnvalue as DiscoveryFanOut;
    expect(fanOut.discovery.repositoryIds).toHaveLength(1);
    repositoryId = fanOut.discovery.repositoryIds[0];
    firstSyncJobId = fanOut.jobs[0].jobId;
    const first = await finished(queue, firstSyncJobId);
    expect(first.failedReason).toBeUndefined();
  });

  afterAll(async () => {
    for (const name of Object.values(QueueName)) await app?.get<Queue>(getQueueToken(name)).obliterate({ force: true });
    await app?.close();
    await env?.teardown();
    await sim?.close();
  });

  it('fans discovery out into a repository sync job that stores the repository', async () => {
    const first = (await queue.getJob(firstSyncJobId))!;
    const result = first.returnvalue as RepositorySyncResult;
    expect(result).toMatchObject({ repositoryId, fullName: 'BlinkDL/RWKV-CUDA' });
    // a scheduled sync covers every resource
    expect(result.resources.map((resource) => resource.resource)).toEqual([...ALL_REPOSITORY_RESOURCES]);
    expect(result.resources.every((resource) => !resource.notModified)).toBe(true);
    expect(firstSyncJobId).not.toContain(':');
  });

  it('S4: a completed sync of a repository kept in the queue does not block a later sync of it', async () => {
    expect(await (await queue.getJob(firstSyncJobId))!.getState()).toBe('completed');
    const later = await scheduler.requestRepositorySync(repositoryId);
    expect(later.status).toBe('queued');
    expect(later.jobId).not.toBe(firstSyncJobId);
    const job = await finished(queue, later.jobId);
    expect(job.finishedOn).toBeDefined();
    // it really ran: it asked GitHub again and was told nothing changed (reviews are asked per
    // pull request updated since the last run: none, so no request at all)
    const resources = (job.returnvalue as RepositorySyncResult).resources;
    expect(resources.filter((resource) => resource.requests > 0).every((resource) => resource.notModified)).toBe(true);
    expect(resources.find((resource) => resource.resource === 'commits')?.notModified).toBe(true);
    expect(resources.reduce((sum, resource) => sum + resource.activitiesInserted, 0)).toBe(0);
  });

  it('S4: refuses a duplicate only while a sync of the repository is waiting, and logs and counts the skip', async () => {
    await queue.pause();
    try {
      const waiting = await scheduler.requestRepositorySync(repositoryId);
      const before = scheduler.stats().deduplicated;
      const duplicate = await scheduler.requestRepositorySync(repositoryId);
      expect(waiting.status).toBe('queued');
      expect(duplicate).toEqual({ jobId: waiting.jobId, status: 'deduplicated' });
      expect(scheduler.stats().deduplicated).toBe(before + 1);
      await queue.resume();
      await finished(queue, waiting.jobId);
    } finally {
      await queue.resume();
    }
    const again = await scheduler.requestRepositorySync(repositoryId);
    expect(again.status).toBe('queued');
    await finished(queue, again.jobId);
  });

  it('S4: a request made while the sync is running runs after it instead of being dropped', async () => {
    // the sim holds the first request of the run so that the job is active when the request comes
    sim.faults.add({ kind: 'delay', delayMs: 400, pathPrefix: '/repos/BlinkDL/RWKV-CUDA/commits' });
    const running = await scheduler.requestRepositorySync(repositoryId);
    expect(running.status).toBe('queued');
    await becomesActive(queue, running.jobId);
    const during = await scheduler.requestRepositorySync(repositoryId);
    expect(during.status).toBe('deferred');
    expect(during.jobId).not.toBe(running.jobId);
    await finished(queue, running.jobId);
    const after = await finished(queue, during.jobId);
    expect(after.failedReason).toBeUndefined();
    expect(after.data).toEqual({ repositoryId });
  });

  it('fails a job with an unknown name instead of ignoring it', async () => {
    const job = await queue.add('no-such-job', {}, { attempts: 1 });
    const failed = await finished(queue, job.id!);
    expect(failed.failedReason).toContain('unknown job "no-such-job"');
  });
});
