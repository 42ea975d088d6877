import { Queue } from 'bullmq';
import { JobName, JobSchedulerId, QueueName, redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../../test/helpers/test-queue-prefix.js';
import { WebhooksSchedules } from './webhooks-schedules.js';

describe('WebhooksSchedules (Redis)', () => {
  const queue = new Queue(QueueName.Webhooks, {
    connection: redisConnectionOptions(TEST_REDIS_URL),
    prefix: testQueuePrefix(),
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('removes the retired re-queue scheduler and its next delayed run, however often workers boot', async () => {
    // what earlier versions registered at every boot
    await queue.upsertJobScheduler(JobSchedulerId.RequeueStaleDeliveries, { every: 60_000 }, { name: JobName.RequeueStaleDeliveries });
    expect(await queue.getJobSchedulers()).toHaveLength(1);
    for (let boot = 0; boot < 3; boot += 1) await new WebhooksSchedules(queue).onApplicationBootstrap();
    expect(await queue.getJobSchedulers()).toEqual([]);
    // a run already waiting stays, and the processor completes it doing nothing (webhooks.processor.spec.ts)
    expect((await queue.getDelayed()).filter((job) => job.name === JobName.RequeueStaleDeliveries)).toEqual([]);
  });
});
