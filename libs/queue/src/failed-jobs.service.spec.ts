import { getQueueToken } from '@nestjs/bullmq';
import type { ModuleRef } from '@nestjs/core';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../test/helpers/test-queue-prefix.js';
import { FailedJobsService, QueueJobException } from './failed-jobs.service.js';
import { QueueName } from './queue-names.js';
import { redisConnectionOptions } from './redis-connection.js';

describe('FailedJobsService (Redis)', () => {
  const prefix = testQueuePrefix();
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const queues = new Map(Object.values(QueueName).map((name) => [getQueueToken(name), new Queue(name, { connection, prefix })]));
  // the service reads queues from Nest's container by token; here the container is this map of real queues
  const service = new FailedJobsService({ get: (token: string) => queues.get(token) } as unknown as ModuleRef);
  const queue = (name: QueueName) => queues.get(getQueueToken(name))!;
  let fail = true;
  const workers: Worker[] = [];

  beforeAll(async () => {
    for (const name of [QueueName.Webhooks, QueueName.Stages]) {
      workers.push(
        new Worker(
          name,
          async (job) => {
            if (fail) throw new Error(`cannot process ${String(job.id)}`);
            return 'done';
          },
          { connection, prefix },
        ),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    for (const q of queues.values()) {
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  /** Adds a job and waits until it has failed all its attempts (or completed). */
  async function run(name: QueueName, jobId: string, attempts: number): Promise<void> {
    const events = new QueueEvents(name, { connection, prefix });
    await events.waitUntilReady();
    try {
      const job = await queue(name).add('work', { ref: jobId }, { jobId, attempts });
      await job.waitUntilFinished(events).catch(() => undefined);
    } finally {
      await events.close();
    }
  }

  it('lists the failed jobs of every queue, most recently failed first, with the error and the attempts', async () => {
    await run(QueueName.Webhooks, 'w-1', 2);
    await run(QueueName.Stages, 's-1', 1);
    const all = await service.list({ limit: 10 });
    expect(all.map((job) => [job.queue, job.jobId, job.error, job.attempts, job.maxAttempts])).toEqual([
      [QueueName.Stages, 's-1', 'cannot process s-1', 1, 1],
      [QueueName.Webhooks, 'w-1', 'cannot process w-1', 2, 2],
    ]);
    expect(all[0].failedAt.getTime()).toBeGreaterThanOrEqual(all[1].failedAt.getTime());
    expect((await service.list({ queue: QueueName.Webhooks, limit: 10 })).map((job) => job.jobId)).toEqual(['w-1']);
    expect((await service.list({ limit: 1 })).map((job) => job.jobId)).toEqual(['s-1']);
  });

  it.each([0, 501, 2.5])('refuses a limit of %s', async (limit) => {
    await expect(service.list({ limit })).rejects.toThrow(QueueJobException);
  });

  it('retries a failed job with its attempts reset, and refuses unknown or unfailed jobs', async () => {
    await expect(service.retry(QueueName.Webhooks, 'nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
    fail = false;
    const events = new QueueEvents(QueueName.Webhooks, { connection, prefix });
    await events.waitUntilReady();
    try {
      const retried = await service.retry(QueueName.Webhooks, 'w-1');
      expect(retried).toMatchObject({ jobId: 'w-1', attempts: 2 });
      const job = (await queue(QueueName.Webhooks).getJob('w-1'))!;
      expect(await job.waitUntilFinished(events)).toBe('done');
    } finally {
      await events.close();
    }
    expect((await queue(QueueName.Webhooks).getJob('w-1'))!.attemptsMade).toBe(1);
    await expect(service.retry(QueueName.Webhooks, 'w-1')).rejects.toMatchObject({ code: 'JOB_NOT_FAILED_CONFLICT' });
    expect((await service.list({ limit: 10 })).map((job) => job.jobId)).toEqual(['s-1']);
  });
});
