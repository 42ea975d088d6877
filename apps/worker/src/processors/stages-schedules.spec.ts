import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import type { StageService } from '#libs/members';
import { JobName, JobSchedulerId, QueueName, redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../../test/helpers/test-queue-prefix.js';
import { StagesSchedules } from './stages-schedules.js';
import { StagesProcessor, UnknownStagesJobError } from './stages.processor.js';

describe('StagesSchedules (Redis)', () => {
  const queue = new Queue(QueueName.Stages, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: testQueuePrefix() });

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('keeps exactly one lapse-check scheduler however often workers boot', async () => {
    for (let boot = 0; boot < 3; boot += 1) await new StagesSchedules(queue).onApplicationBootstrap();
    expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).toEqual([JobSchedulerId.StageLapses]);
    const pending = [...(await queue.getDelayed()), ...(await queue.getWaiting())].filter((job) => job.name === JobName.CheckStageLapses);
    expect(pending).toHaveLength(1);
  });
});

describe('StagesProcessor', () => {
  const calls: string[] = [];
  const stages = {
    evaluateActivities: async (ids: string[]) => (calls.push(`evaluate ${ids.join(',')}`), { members: 1, transitionsInserted: 0, transitionsDeleted: 0 }),
    recomputeEcosystem: async (id: number | null) => (calls.push(`recompute ${id}`), { members: 0, transitionsInserted: 0, transitionsDeleted: 0 }),
    checkLapses: async () => (calls.push('lapses'), 3),
  } as unknown as StageService;
  const processor = new StagesProcessor(stages);
  const job = (name: string, data: unknown = {}) => ({ name, data }) as Job;

  it('dispatches each job by name to StageService', async () => {
    await processor.process(job(JobName.EvaluateStages, { activityIds: ['1', '2'] }));
    await processor.process(job(JobName.RecomputeStages, { ecosystemId: 4 }));
    expect(await processor.process(job(JobName.CheckStageLapses))).toEqual({ evaluated: 3 });
    expect(calls).toEqual(['evaluate 1,2', 'recompute 4', 'lapses']);
  });

  it('refuses an unknown job', async () => {
    await expect(processor.process(job('nope'))).rejects.toBeInstanceOf(UnknownStagesJobError);
  });
});
