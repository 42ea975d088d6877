import { jest } from '@jest/globals';
import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import type { AffiliationRecomputeService } from '#libs/members';
import { JobName, JobSchedulerId, QueueName, redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../../test/helpers/test-queue-prefix.js';
import { AffiliationsProcessor, UnknownAffiliationJobError } from './affiliations.processor.js';
import { AffiliationsSchedules } from './affiliations-schedules.js';

describe('AffiliationsProcessor', () => {
  const result = { inserted: 1, updated: 0, deleted: 0, total: 1 };
  const recompute = jest.fn(async () => result);
  const processor = new AffiliationsProcessor({ recompute } as unknown as AffiliationRecomputeService);
  const job = (name: string, data: unknown) => ({ name, data }) as Job;

  it('recomputes the listed members, or all when the payload says null', async () => {
    await expect(processor.process(job(JobName.RecomputeAffiliations, { memberIds: ['m1'] }))).resolves.toBe(result);
    await processor.process(job(JobName.RecomputeAffiliations, { memberIds: null }));
    expect(recompute.mock.calls).toEqual([[{ memberIds: ['m1'] }], [{ memberIds: null }]]);
  });

  it('refuses a job it does not know', async () => {
    await expect(processor.process(job('nope', {}))).rejects.toBeInstanceOf(UnknownAffiliationJobError);
  });
});

describe('AffiliationsSchedules (Redis)', () => {
  const queue = new Queue(QueueName.Affiliations, {
    connection: redisConnectionOptions(TEST_REDIS_URL),
    prefix: testQueuePrefix(),
  });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('keeps exactly one recompute scheduler and one delayed run however often workers boot', async () => {
    for (let boot = 0; boot < 3; boot += 1) await new AffiliationsSchedules(queue).onApplicationBootstrap();
    expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([
      JobSchedulerId.RecomputeAffiliations,
    ]);
    const pending = [...(await queue.getDelayed()), ...(await queue.getWaiting())];
    expect(pending.filter((job) => job.name === JobName.RecomputeAffiliations)).toHaveLength(1);
    expect(pending[0].data).toEqual({ memberIds: null });
  });
});
