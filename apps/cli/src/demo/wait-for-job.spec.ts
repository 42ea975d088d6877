import { Queue, Worker } from 'bullmq';
import { redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../../test/helpers/test-queue-prefix.js';
import { waitForJob } from './wait-for-job.js';

describe('waitForJob (Redis)', () => {
  const connection = redisConnectionOptions(TEST_REDIS_URL);
  const prefix = testQueuePrefix();
  let queue: Queue;
  let worker: Worker | undefined;

  beforeAll(() => {
    queue = new Queue('wait-for-job', { connection, prefix });
  });

  afterEach(async () => {
    await worker?.close();
    worker = undefined;
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  const startWorker = (process: (name: string) => unknown) => {
    worker = new Worker('wait-for-job', async (job) => process(job.name), { connection, prefix });
  };

  it('returns the return value of a job that finished before the wait began (no notification to miss)', async () => {
    startWorker(() => ({ merged: 3 }));
    const completed = new Promise<void>((resolve) => worker!.on('completed', () => resolve())); // listening before the job exists
    const job = await queue.add('quick', {});
    await completed;
    await expect(waitForJob(queue, job.id!, 5_000)).resolves.toEqual({ merged: 3 });
  });

  it('returns the return value of a job that finishes while it waits', async () => {
    const job = await queue.add('later', {});
    const waited = waitForJob<{ fetched: number }>(queue, job.id!, 30_000);
    startWorker(() => ({ fetched: 7 }));
    await expect(waited).resolves.toEqual({ fetched: 7 });
  });

  it('throws the failure of a job that failed, naming the job', async () => {
    startWorker(() => {
      throw new Error('GitHub answered 500');
    });
    const job = await queue.add('broken', {});
    await expect(waitForJob(queue, job.id!, 30_000)).rejects.toThrow(`the broken job ${job.id} failed: GitHub answered 500`);
  });

  it('gives up after its timeout, naming the state the job is in', async () => {
    const job = await queue.add('nobody-takes-it', {});
    await expect(waitForJob(queue, job.id!, 300)).rejects.toThrow(`the nobody-takes-it job ${job.id} did not finish within 0.3 s (it is waiting)`);
  });

  it('says so when the job does not exist', async () => {
    await expect(waitForJob(queue, 'no-such-job', 1_000)).rejects.toThrow('the wait-for-job job no-such-job does not exist');
  });
});
