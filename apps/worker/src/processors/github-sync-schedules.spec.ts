import { Queue } from 'bullmq';
import type { CambrianConfig } from '#libs/config';
import { JobName, JobSchedulerId, QueueName, redisConnectionOptions } from '#libs/queue';
import { TEST_REDIS_URL, testQueuePrefix } from '../../../../test/helpers/test-queue-prefix.js';
import { GithubSyncSchedules } from './github-sync-schedules.js';

describe('GithubSyncSchedules (Redis)', () => {
  const queue = new Queue(QueueName.GithubSync, {
    connection: redisConnectionOptions(TEST_REDIS_URL),
    prefix: testQueuePrefix(),
  });
  const boot = (seconds: number, profileSeconds = 3600) =>
    new GithubSyncSchedules(queue, {
      GITHUB_RECONCILE_EVERY_SECONDS: seconds,
      GITHUB_PROFILE_SYNC_EVERY_SECONDS: profileSeconds,
    } as CambrianConfig).onApplicationBootstrap();
  const pending = async (name: JobName = JobName.ReconcileEcosystems) =>
    [...(await queue.getDelayed()), ...(await queue.getWaiting())].filter((job) => job.name === name);
  const schedulerOf = async (id: JobSchedulerId) =>
    (await queue.getJobSchedulers()).filter((scheduler) => scheduler.key === id).map((scheduler) => [scheduler.key, scheduler.every]);

  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
  });

  it('keeps exactly one reconcile scheduler and one pending run across boots and a changed interval (case J1)', async () => {
    const firstBoot = Date.now();
    let runId: string | undefined;
    for (let n = 0; n < 3; n += 1) {
      await boot(3600);
      expect(await schedulerOf(JobSchedulerId.Reconcile)).toEqual([[JobSchedulerId.Reconcile, 3_600_000]]);
      const jobs = await pending();
      expect(jobs).toHaveLength(1);
      // the first run is one interval after the first boot; later boots neither add nor postpone it
      expect(jobs[0].timestamp + jobs[0].delay).toBeGreaterThanOrEqual(firstBoot + 3_600_000);
      expect(jobs[0].timestamp + jobs[0].delay).toBeLessThan(firstBoot + 3_610_000);
      runId ??= jobs[0].id;
      expect(jobs[0].id).toBe(runId);
    }
    // a deploy with another interval updates the one scheduler; the old interval and its run are gone
    const deploy = Date.now();
    await boot(600);
    expect(await schedulerOf(JobSchedulerId.Reconcile)).toEqual([[JobSchedulerId.Reconcile, 600_000]]);
    const jobs = await pending();
    expect(jobs).toHaveLength(1);
    expect(jobs[0].id).not.toBe(runId);
    expect(jobs[0].timestamp + jobs[0].delay).toBeGreaterThanOrEqual(deploy + 600_000);
    expect(jobs[0].timestamp + jobs[0].delay).toBeLessThan(deploy + 610_000);
    expect(jobs[0].repeatJobKey).toBe(JobSchedulerId.Reconcile);
    // our id (BullMQ derives its own `repeat:<id>:<millis>` instance ids from it)
    expect(JobSchedulerId.Reconcile).not.toContain(':');
  });

  it('keeps exactly one profile sync scheduler across boots, its interval from GITHUB_PROFILE_SYNC_EVERY_SECONDS', async () => {
    await boot(3600, 7200);
    await boot(3600, 7200);
    expect(await schedulerOf(JobSchedulerId.ProfileSync)).toEqual([[JobSchedulerId.ProfileSync, 7_200_000]]);
    expect(await pending(JobName.SyncProfiles)).toHaveLength(1);
    await boot(3600, 900);
    expect(await schedulerOf(JobSchedulerId.ProfileSync)).toEqual([[JobSchedulerId.ProfileSync, 900_000]]);
    const [run, ...more] = await pending(JobName.SyncProfiles);
    expect(more).toEqual([]);
    expect(run.repeatJobKey).toBe(JobSchedulerId.ProfileSync);
    expect(JobSchedulerId.ProfileSync).not.toContain(':');
  });
});
