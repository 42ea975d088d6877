import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobName, QueueName, redisConnectionOptions } from '#libs/queue';
import { waitUntil } from './wait-until.js';

/**
 * Waits until the worker has run every stage evaluation the sync and the webhooks requested
 * (`evaluate-stages` jobs waiting, delayed or active on the `stages` queue; the lapse check's
 * scheduled run is left out), then returns the summary line: persons per current stage.
 */
export async function stageSummaryLine(
  dataSource: DataSource,
  ecosystemId: number,
  redis: { url: string; prefix: string },
  timeoutMs: number,
): Promise<string> {
  const queue = new Queue(QueueName.Stages, { connection: redisConnectionOptions(redis.url), prefix: redis.prefix });
  try {
    await waitUntil(
      'the stage evaluation',
      async () => {
        const counts = await queue.getJobCounts('waiting', 'active', 'prioritized');
        const delayed = (await queue.getDelayed()).filter((job) => job.name === JobName.EvaluateStages);
        return Object.values(counts).reduce((sum, count) => sum + count, 0) + delayed.length === 0 ? true : undefined;
      },
      { timeoutMs, intervalMs: 500 },
    );
  } finally {
    await queue.close();
  }
  const rows: Array<{ stage: string; members: number }> = await dataSource.query(
    `SELECT stage, count(*)::int AS members FROM member_stage WHERE ecosystem_id = $1 GROUP BY stage`,
    [ecosystemId],
  );
  const count = (stage: string, one: string, many: string) => {
    const members = rows.find((row) => row.stage === stage)?.members ?? 0;
    return `${members} ${members === 1 ? one : many}`;
  };
  return (
    `  stages         ${count('OBSERVER', 'observer', 'observers')} · ${count('USER', 'user', 'users')} · ` +
    `${count('FIRST_TIME_CONTRIBUTOR', 'first-time contributor', 'first-time contributors')} · ` +
    `${count('REGULAR_CONTRIBUTOR', 'regular contributor', 'regular contributors')} · ${count('MAINTAINER', 'maintainer', 'maintainers')} · ` +
    `${count('LAPSED', 'lapsed', 'lapsed')} (dated paths: Member.path)`
  );
}
