import { Queue } from 'bullmq';
import type { CambrianConfig } from '#libs/config';
import { JobName, JobSchedulerId, QueueName, redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../../test/helpers/test-queue-prefix.js';
import { DigestsSchedules } from './digests-schedules.js';

/** The next Monday at `hour`:00 UTC strictly after `from`. */
function nextMondayAt(from: number, hour: number): number {
  const date = new Date(from);
  date.setUTCHours(hour, 0, 0, 0);
  while (date.getUTCDay() !== 1 || date.getTime() <= from) date.setUTCDate(date.getUTCDate() + 1);
  return date.getTime();
}

describe('DigestsSchedules (Redis)', () => {
  const queue = new Queue(QueueName.Digests, { connection: redisConnectionOptions(TEST_REDIS_URL), prefix: testQueuePrefix() });
  const boot = (pattern: string) => new DigestsSchedules(queue, { DIGEST_SCHEDULE_CRON: pattern } as CambrianConfig).onApplicationBootstrap();
  const pending = async () => [...(await queue.getDelayed()), ...(await queue.getWaiting())].filter((job) => job.name === JobName.PlanDigests);

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('keeps exactly one digest scheduler and one delayed run across boots and a deploy with another pattern (case J1)', async () => {
    let runId: string | undefined;
    for (let n = 0; n < 3; n += 1) {
      await boot('0 9 * * 1');
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([[JobSchedulerId.DigestPlanner, '0 9 * * 1', 'UTC']]);
      const jobs = await pending();
      expect(jobs).toHaveLength(1);
      expect(jobs[0].timestamp + jobs[0].delay).toBe(nextMondayAt(Date.now(), 9));
      runId ??= jobs[0].id;
      expect(jobs[0].id).toBe(runId);
    }
    await boot('0 8 * * 1');
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern])).toEqual([[JobSchedulerId.DigestPlanner, '0 8 * * 1']]);
    const jobs = await pending();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].timestamp + jobs[0].delay).toBe(nextMondayAt(Date.now(), 8));
    expect(jobs[0].repeatJobKey).toBe(JobSchedulerId.DigestPlanner);
    expect(JobSchedulerId.DigestPlanner).not.toContain(':');
  });
});
