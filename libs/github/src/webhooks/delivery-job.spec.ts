import { processDeliveryJob } from './delivery-job.js';

describe('processDeliveryJob', () => {
  it('gives one stored delivery the same job id every time (request path and re-queue add one job)', () => {
    const stored = { rowId: '7', deliveryId: '7b1e0c2a-0000-4000-8000-000000000001' };
    expect(processDeliveryJob(stored).opts.jobId).toBe(processDeliveryJob({ ...stored }).opts.jobId);
  });

  it('does not reuse a job id when row ids start again in a recreated database (S4 kind)', () => {
    const first = processDeliveryJob({ rowId: '1', deliveryId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    const later = processDeliveryJob({ rowId: '1', deliveryId: 'bbbbbbbb-0000-4000-8000-000000000002' });
    expect(first.opts.jobId).not.toBe(later.opts.jobId);
  });

  it('never puts a colon in the job id, whatever the delivery header holds', () => {
    expect(processDeliveryJob({ rowId: '3', deliveryId: 'a:b:c' }).opts.jobId).not.toContain(':');
  });
});
