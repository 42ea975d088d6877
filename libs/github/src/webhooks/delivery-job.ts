import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { ProcessDeliveryJobData } from '#libs/queue';

/** Attempts of a `process-delivery` job before its delivery is marked `failed` (`WEBHOOK_JOB_ATTEMPTS`). */
export const PROCESS_DELIVERY_ATTEMPTS = 6;

/** First retry delay of a `process-delivery` job in milliseconds, doubled on each retry (`WEBHOOK_JOB_BACKOFF_MS`). */
export const PROCESS_DELIVERY_BACKOFF_MS = 2000;

/** Retry policy of `process-delivery` jobs (from config: `WEBHOOK_JOB_ATTEMPTS`, `WEBHOOK_JOB_BACKOFF_MS`). */
export interface DeliveryRetryPolicy {
  attempts: number;
  /** Milliseconds before the first retry; exponential backoff doubles it each time. */
  backoffMs: number;
}

/** The job id of stored delivery `stored` (see {@link processDeliveryJob}). */
export function processDeliveryJobId(stored: StoredDeliveryRef): string {
  return processDeliveryJob(stored).opts.jobId!;
}

/** A stored delivery: its `webhook_delivery.id` and its `X-GitHub-Delivery` GUID. */
export interface StoredDeliveryRef {
  rowId: string;
  deliveryId: string;
}

/**
 * BullMQ options of the job that processes stored delivery `deliveryRowId`.
 *
 * The job id `delivery-<row id>-<hash of the X-GitHub-Delivery GUID>` is deterministic, so
 * enqueueing the same stored delivery twice (the request path and a later re-queue of stale rows)
 * adds one job. The GUID part keeps it unique when row ids start again (a recreated database with
 * the same queue prefix): a kept completed job must never swallow a later legitimate delivery
 * (STYLE.md, Jobs; case S4). The header is hashed so the id never contains `:`.
 * Retries back off exponentially (by default 6 attempts, 2 s, 4 s, ... about a minute in all);
 * completed jobs are kept for an hour (at most 10,000), failed ones for a week: that is the failed
 * list admins read and retry from (GraphQL `failedJobs`, `retryFailedJob`); the row keeps the
 * outcome and the last error anyway.
 */
export function processDeliveryJob(
  stored: StoredDeliveryRef,
  retry: DeliveryRetryPolicy = { attempts: PROCESS_DELIVERY_ATTEMPTS, backoffMs: PROCESS_DELIVERY_BACKOFF_MS },
): { data: ProcessDeliveryJobData; opts: JobsOptions } {
  const guid = createHash('sha256').update(stored.deliveryId).digest('hex').slice(0, 16);
  return {
    data: { deliveryRowId: stored.rowId },
    opts: {
      jobId: `delivery-${stored.rowId}-${guid}`,
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  };
}
