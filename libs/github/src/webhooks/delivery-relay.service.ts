import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource, QueryRunner } from 'typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { webhookDeliveriesRelayed } from '#libs/observability';
import { JobName, QueueName, RedisReadiness, retryFailedJob, type ProcessDeliveryJobData } from '#libs/queue';
import { processDeliveryJob, type DeliveryRetryPolicy, type StoredDeliveryRef } from './delivery-job.js';
import { ENQUEUE_TIMEOUT_MS } from './webhook-ingest.service.js';

/**
 * Key of the transaction-level advisory lock that lets one relay page run at a time across every
 * api process of a database (advisory locks are per database). "WHRL" in ASCII.
 */
export const DELIVERY_RELAY_LOCK_KEY = 0x5748524c;

/** Deliveries read, checked against Redis and enqueued per page (one transaction each). */
const PAGE_SIZE = 500;

/**
 * Pages per pass at most, while pages keep finding jobs missing; the next pass continues where this
 * one stopped. A page whose jobs all exist ends the pass, so a backlog waiting for workers costs one
 * page (one SELECT, one pipelined EXISTS) per pass.
 */
const MAX_PAGES_PER_PASS = 20;

/**
 * Deliveries younger than this (seconds) are left to the request that stored them, which is still
 * within its own {@link ENQUEUE_TIMEOUT_MS} enqueue (a relay adding the same job would be a no-op,
 * but the request enqueues it in its own order).
 */
const RELAY_AFTER_SECONDS = Math.ceil((2 * ENQUEUE_TIMEOUT_MS) / 1000);

/**
 * Seconds a `process-delivery` job stays in the failed list before the relay may retry it for a row
 * still `received`. BullMQ fails the job first and the worker's failed handler marks the row `failed`
 * a moment later (`WebhooksProcessor.onFailed`); within this window a `received` row only means that
 * handler has not run yet, and a retry would give a job that failed for good (one that stalled too
 * often: it killed its workers) a new round of attempts.
 */
export const FAILED_JOB_GRACE_SECONDS = 60;

/** Milliseconds Redis has to answer a relay page before the page is abandoned (and retried). */
const REDIS_TIMEOUT_MS = 5000;

/** A page's position in receipt order: `received_at` as Postgres' text (microseconds kept) and the row id. */
interface RelayCursor {
  receivedAt: string;
  id: string;
}

interface CandidateRow {
  id: string;
  delivery_id: string;
  received_at: string;
}

/**
 * The outbox relay of webhook deliveries, run by apps/api (the process that stores them): a stored
 * delivery still `received` whose `process-delivery` job is not in Redis — Redis was away when it
 * arrived, the api died between its commit and its enqueue, or Redis restarted without its data —
 * is enqueued, in order of receipt (`received_at`, then row id), once.
 *
 * A pass walks the `received` rows page by page; each page runs in one Postgres transaction holding
 * the advisory lock {@link DELIVERY_RELAY_LOCK_KEY} (`pg_try_advisory_xact_lock`: a process that
 * does not get it skips its turn), asks Redis which of the page's job ids exist (`EXISTS` of the
 * job hash, pipelined) and adds the missing ones with one `addBulk`. So with several api processes
 * no two relays check and add the same rows at once; and since job ids are derived from the
 * delivery ({@link processDeliveryJob}), an add that races the request path's own enqueue is a
 * no-op in BullMQ. Row locks (`FOR UPDATE SKIP LOCKED`) are not used: they would make the
 * worker's claim of a row wait for the relay's Redis round trips.
 *
 * A `received` row whose job Redis has held in its failed list for more than
 * {@link FAILED_JOB_GRACE_SECONDS} (the job's last attempt failed after an admin's redelivery reopened
 * the row, and the worker that would have marked the row `failed` died) gets that job retried with its
 * attempts reset, as a redelivery does: otherwise nothing would ever process the row again. A job
 * failed more recently is left to the failed handler of its worker.
 *
 * Passes run every `WEBHOOK_RELAY_EVERY_SECONDS` and each time the Redis connection becomes ready
 * again; none runs while Redis is known to be away. Processing is idempotent in any case (the
 * worker claims a row only while it is `received` or `failed`), so what this guards is the
 * enqueue: one job per delivery.
 */
@Injectable()
export class DeliveryRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeliveryRelay');
  private readonly redis: RedisReadiness;
  private readonly retry: DeliveryRetryPolicy;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private cursor: RelayCursor | null = null;
  private lastErrorLog = 0;

  constructor(
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<ProcessDeliveryJobData>,
  ) {
    this.redis = new RedisReadiness(queue);
    this.retry = { attempts: config.WEBHOOK_JOB_ATTEMPTS, backoffMs: config.WEBHOOK_JOB_BACKOFF_MS };
  }

  /** Starts the periodic passes, and a pass each time the Redis connection becomes ready (first time included). */
  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.trigger(), this.config.WEBHOOK_RELAY_EVERY_SECONDS * 1000);
    this.timer.unref();
    this.unsubscribe = this.redis.onReady(() => this.trigger());
  }

  /** Stops the passes and waits for the one running (its transaction ends before Postgres closes). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    this.redis.dispose();
    await this.running;
  }

  /** Runs a pass now, or right after the one running. */
  private trigger(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.relayPending()
      .then(() => undefined)
      .catch((error: Error) => {
        if (Date.now() - this.lastErrorLog < 60_000) return;
        this.lastErrorLog = Date.now();
        this.logger.warn(`relay pass stopped: ${error.message}; the next pass retries`);
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.trigger();
        }
      });
  }

  /**
   * One pass: enqueues, oldest first, the `received` deliveries older than a couple of seconds whose
   * job Redis does not hold, a page of {@link PAGE_SIZE} at a time, going on (up to
   * {@link MAX_PAGES_PER_PASS} pages) while pages find jobs missing.
   * @returns how many deliveries this process enqueued (0 while Redis is away or not yet connected,
   *   or when another api process holds the relay lock).
   * @throws a Postgres or Redis error (or a Redis answer slower than {@link REDIS_TIMEOUT_MS}); the
   *   page it happened in enqueued nothing new or only jobs that are then found to exist.
   */
  async relayPending(): Promise<number> {
    // not before the connection is known to be up (a pass must never wait for Redis holding the lock)
    if (this.redis.isReady() !== true) return 0;
    let relayed = 0;
    for (let page = 0; page < MAX_PAGES_PER_PASS; page += 1) {
      const result = await this.relayPage();
      if (result === 'locked') break;
      relayed += result.relayed;
      // a page whose jobs all exist is the usual backlog: go on next pass (the cursor keeps walking);
      // a page with missing jobs (Redis lost them, or was away) calls for the next page now
      if (result.last || result.relayed === 0) break;
    }
    if (relayed > 0) {
      webhookDeliveriesRelayed.inc(relayed);
      this.logger.log({ relayed, msg: `relayed ${relayed} stored deliveries whose job was not in Redis or had failed` });
    }
    return relayed;
  }

  private async relayPage(): Promise<'locked' | { relayed: number; last: boolean }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [{ locked }] = (await runner.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [DELIVERY_RELAY_LOCK_KEY])) as Array<{
        locked: boolean;
      }>;
      if (!locked) {
        await runner.rollbackTransaction();
        return 'locked';
      }
      const rows = await this.candidates(runner);
      const last = rows.length < PAGE_SIZE;
      // the next page starts after this one; a short page means the end: the next pass starts over
      this.cursor = last ? null : { receivedAt: rows[rows.length - 1].received_at, id: rows[rows.length - 1].id };
      const refs: StoredDeliveryRef[] = rows.map((row) => ({ rowId: String(row.id), deliveryId: row.delivery_id }));
      const { missing, failed } = await this.jobsToRelay(refs);
      if (missing.length > 0) {
        await withTimeout(
          this.queue.addBulk(
            missing.map((ref) => {
              const job = processDeliveryJob(ref, this.retry);
              return { name: JobName.ProcessDelivery, data: job.data, opts: job.opts };
            }),
          ),
          'addBulk',
        );
      }
      const retried = await this.retryFailed(failed);
      await runner.commitTransaction();
      return { relayed: missing.length + retried, last };
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** The next page of `received` rows old enough to relay, in order of receipt. */
  private candidates(runner: QueryRunner): Promise<CandidateRow[]> {
    // received_at goes out as text: a JS Date would drop its microseconds and the cursor would skip rows
    return runner.query(
      `SELECT id, delivery_id, received_at::text AS received_at FROM webhook_delivery
       WHERE status = 'received' AND received_at < now() - make_interval(secs => $1)
         AND ($2::timestamptz IS NULL OR (received_at, id) > ($2::timestamptz, $3::bigint))
       ORDER BY received_at, id
       LIMIT $4`,
      [RELAY_AFTER_SECONDS, this.cursor?.receivedAt ?? null, this.cursor?.id ?? null, PAGE_SIZE],
    ) as Promise<CandidateRow[]>;
  }

  /**
   * The deliveries among `refs` whose job hash Redis does not hold (`missing`, in the same order),
   * and those whose job has been in the queue's failed list for more than
   * {@link FAILED_JOB_GRACE_SECONDS} (`failed`, job ids): one pipelined round trip.
   */
  private async jobsToRelay(refs: StoredDeliveryRef[]): Promise<{ missing: StoredDeliveryRef[]; failed: string[] }> {
    if (refs.length === 0) return { missing: [], failed: [] };
    // the Redis backend's raw client is ioredis (BullMQ types it as its minimal interface)
    const client = (await withTimeout(this.queue.backend.client, 'the connection')) as unknown as Pick<Redis, 'pipeline'>;
    const pipeline = client.pipeline();
    const failedList = this.queue.toKey('failed');
    const jobIds = refs.map((ref) => processDeliveryJob(ref).opts.jobId!);
    for (const jobId of jobIds) pipeline.exists(this.queue.toKey(jobId)).zscore(failedList, jobId);
    const answers = (await withTimeout(pipeline.exec(), 'EXISTS and ZSCORE')) ?? [];
    // a job's score in the failed list is when it failed (ms); younger ones are left to the failed handler
    const failedBefore = Date.now() - FAILED_JOB_GRACE_SECONDS * 1000;
    const missing: StoredDeliveryRef[] = [];
    const failed: string[] = [];
    refs.forEach((ref, index) => {
      const [existsError, exists] = answers[2 * index] ?? [new Error('no answer'), null];
      const [scoreError, score] = answers[2 * index + 1] ?? [new Error('no answer'), null];
      if (existsError) throw existsError;
      if (scoreError) throw scoreError;
      if (exists === 0) missing.push(ref);
      else if (score !== null && Number(score) < failedBefore) failed.push(jobIds[index]);
    });
    return { missing, failed };
  }

  /**
   * Retries the failed jobs `jobIds` of `received` rows with their attempts reset; a job that
   * another process retried or removed meanwhile is left as it is. Returns how many were retried.
   */
  private async retryFailed(jobIds: string[]): Promise<number> {
    let retried = 0;
    for (const jobId of jobIds) {
      const job = await withTimeout(this.queue.getJob(jobId), 'getJob');
      if (job && (await withTimeout(retryFailedJob(job), 'retry'))) retried += 1;
    }
    return retried;
  }
}

/** `promise`, or a rejection naming `what` after {@link REDIS_TIMEOUT_MS}. */
async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
