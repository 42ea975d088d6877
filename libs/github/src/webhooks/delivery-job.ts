import type { JobsOptions } from 'bullmq';
import type { ProcessDeliveryJobData } from '#libs/queue';

/** Attempts of a `process-delivery` job before its delivery is marked `failed`. */
export const PROCESS_DELIVERY_ATTEMPTS = 6;

/**
 * BullMQ options of the job that processes stored delivery `deliveryRowId`.
 *
 * The job id `delivery-<row id>` is deterministic, so enqueueing the same stored delivery twice
 * (the request path and a later re-queue of stale rows) adds one job; a row id is never reused,
 * so a later legitimate delivery is never blocked by an old job (STYLE.md, Jobs). No `:` in it.
 * Retries back off exponentially (2 s, 4 s, ... about a minute in all); completed jobs are kept
 * for an hour (at most 10,000), failed ones for a week, since the row keeps the outcome anyway.
 */
export function processDeliveryJob(deliveryRowId: string): { data: ProcessDeliveryJobData; opts: JobsOptions } {
  return {
    data: { deliveryRowId },
    opts: {
      jobId: `delivery-${deliveryRowId}`,
      attempts: PROCESS_DELIVERY_ATTEMPTS,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  };
}
