import type { Job } from 'bullmq';
import type { CambrianConfig } from '#libs/config';
import type { DeliveryProcessingService } from '#libs/github';
import { JobName } from '#libs/queue';
import { UnknownWebhookJobError, WebhooksProcessor } from './webhooks.processor.js';

describe('WebhooksProcessor', () => {
  const calls: Array<[string, { finalAttempt: boolean }]> = [];
  const deliveries = {
    process: async (id: string, attempt: { finalAttempt: boolean }) => {
      calls.push([id, attempt]);
      return { status: 'processed' as const, activitiesInserted: 1 };
    },
  } as unknown as DeliveryProcessingService;
  const processor = new WebhooksProcessor(deliveries, { WEBHOOK_WORKER_CONCURRENCY: 2 } as CambrianConfig);
  const job = (name: string, attemptsMade: number, attempts = 6) =>
    ({ name, data: { deliveryRowId: '12' }, attemptsMade, opts: { attempts } }) as unknown as Job;

  it.each([
    [0, 6, false],
    [4, 6, false],
    [5, 6, true],
    [0, 1, true],
  ])('passes the row id and whether it is the last attempt (attempts made %i of %i → final %s)', async (made, attempts, final) => {
    calls.length = 0;
    await expect(processor.process(job(JobName.ProcessDelivery, made, attempts))).resolves.toEqual({ status: 'processed', activitiesInserted: 1 });
    expect(calls).toEqual([['12', { finalAttempt: final }]]);
  });

  it('completes a leftover run of the retired re-queue scheduler without doing anything', async () => {
    calls.length = 0;
    await expect(processor.process(job(JobName.RequeueStaleDeliveries, 0))).resolves.toEqual({ retired: true });
    expect(calls).toEqual([]);
  });

  it('refuses a job name it has no handler for', async () => {
    await expect(processor.process(job('something-else', 0))).rejects.toThrow(UnknownWebhookJobError);
  });
});
