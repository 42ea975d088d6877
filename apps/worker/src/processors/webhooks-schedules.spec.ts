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

  it('keeps exactly one requeue scheduler and one delayed run however often workers boot', async () => {
    for (let boot = 0; boot < 3; boot += 1) await new WebhooksSchedules(queue).onApplicationBootstrap();
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((scheduler) => scheduler.key)).toEqual([JobSchedulerId.RequeueStaleDeliveries]);
    const delayed = await queue.getDelayed();
    const waiting = await queue.getWaiting();
    expect([...delayed, ...waiting].filter((job) => job.name === JobName.RequeueStaleDeliveries)).toHaveLength(1);
  });
});
