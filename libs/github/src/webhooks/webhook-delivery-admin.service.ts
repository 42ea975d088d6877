import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { decodeCursor, encodeCursor, lazyCount, pageSizeSchema, toPage, type LazyCountPage } from '#libs/members';
import { JobName, QueueName, retryFailedJob, type ProcessDeliveryJobData } from '#libs/queue';
import type { DeliveryStatus } from '../entities/webhook-delivery.entity.js';
import { processDeliveryJob, type DeliveryRetryPolicy, type StoredDeliveryRef } from './delivery-job.js';

const CURSOR_KIND = 'webhook-delivery';
const ROW_ID = /^\d{1,18}$/;
const STATUSES: readonly DeliveryStatus[] = ['received', 'processed', 'ignored', 'failed'];

/** A stored webhook delivery as admins see it: everything but the payload. */
export interface WebhookDeliveryView {
  /** `webhook_delivery.id` (a bigint as text). */
  id: string;
  /** The `X-GitHub-Delivery` GUID. */
  deliveryId: string;
  event: string;
  action: string | null;
  repositoryId: number | null;
  status: DeliveryStatus;
  /** Processing runs so far (each claim of the row by a worker counts one). */
  attempts: number;
  /** The error of the last failed run; null once processed. */
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

/** What {@link WebhookDeliveryAdminService.list} reads. */
export interface WebhookDeliveryListArgs {
  /** Page size, 1–100 (default 20). */
  first?: number | null;
  /** Cursor of the previous page's last edge. */
  after?: string | null;
  /** Only deliveries in this status. */
  status?: DeliveryStatus | null;
}

/**
 * What a redelivery did: `queued` — a job now waits to process the delivery (added, retried from the
 * failed list, or already waiting or running); `already-done` — the delivery is `processed` or
 * `ignored`, so processing it again would change nothing and no job was added.
 */
export type RedeliveryOutcome = 'queued' | 'already-done';

/** Why an admin operation on stored deliveries was refused. */
export enum WebhookDeliveryExceptionCode {
  /** No `webhook_delivery` row with this id. */
  DELIVERY_NOT_FOUND = 'DELIVERY_NOT_FOUND',
  /** A status filter that is not a delivery status. */
  DELIVERY_STATUS_INVALID = 'DELIVERY_STATUS_INVALID',
}

/** A refused admin operation on stored deliveries; the message says which delivery or argument. */
export class WebhookDeliveryException extends Error {
  constructor(
    message: string,
    readonly code: WebhookDeliveryExceptionCode,
  ) {
    super(message);
    this.name = 'WebhookDeliveryException';
  }
}

interface DeliveryRow {
  id: string;
  delivery_id: string;
  event: string;
  action: string | null;
  repository_id: string | null;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  received_at: Date;
  processed_at: Date | null;
}

const COLUMNS = 'id::text AS id, delivery_id, event, action, repository_id::text AS repository_id, status, attempts, error, received_at, processed_at';

/**
 * Stored webhook deliveries for admins (the console's Operations page): the list, newest first, and
 * the redelivery of one delivery — its processing queued again, e.g. after the cause of its failure
 * was fixed. Processing stays at most once in effect: the worker claims a row only while it is
 * `received` or `failed` (DeliveryProcessingService), and the job id is the delivery's own
 * ({@link processDeliveryJob}), so redelivering twice, or racing the outbox relay, adds one job.
 */
@Injectable()
export class WebhookDeliveryAdminService {
  private readonly retry: DeliveryRetryPolicy;

  constructor(
    @Inject(CAMBRIAN_CONFIG) config: CambrianConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Webhooks) private readonly queue: Queue<ProcessDeliveryJobData>,
  ) {
    this.retry = { attempts: config.WEBHOOK_JOB_ATTEMPTS, backoffMs: config.WEBHOOK_JOB_BACKOFF_MS };
  }

  /**
   * Stored deliveries, newest first (by row id, i.e. order of storage), `first` per page, without payloads.
   * @throws WebhookDeliveryException DELIVERY_STATUS_INVALID for an unknown status; QueryException
   *   BAD_USER_INPUT (via zod / the cursor) for `first` outside 1–100 or a foreign cursor.
   */
  async list(args: WebhookDeliveryListArgs): Promise<LazyCountPage<WebhookDeliveryView>> {
    const first = pageSizeSchema.parse(args.first);
    if (args.status != null && !STATUSES.includes(args.status)) {
      throw new WebhookDeliveryException(`Unknown delivery status "${args.status}" (one of ${STATUSES.join(', ')})`, WebhookDeliveryExceptionCode.DELIVERY_STATUS_INVALID);
    }
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const filter = args.status != null ? [`status = ${param(args.status)}`] : [];
    const filterParams = [...params];
    const conditions = [...filter];
    if (args.after) {
      const [id] = decodeCursor(CURSOR_KIND, args.after, z.tuple([z.string().regex(ROW_ID)]));
      conditions.push(`id < ${param(id)}::bigint`);
    }
    const where = (parts: string[]) => (parts.length ? `WHERE ${parts.join(' AND ')}` : '');
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_delivery ${where(conditions)} ORDER BY id DESC LIMIT ${param(first + 1)}`,
      params,
    );
    const totalCount = lazyCount(async () => {
      const [count]: Array<{ n: number }> = await this.dataSource.query(`SELECT count(*)::int AS n FROM webhook_delivery ${where(filter)}`, filterParams);
      return count.n;
    });
    return toPage(rows, first, args.after, totalCount, (row) => ({ cursor: encodeCursor(CURSOR_KIND, [row.id]), node: toView(row) }));
  }

  /**
   * The delivery `rowId` (`webhook_delivery.id`), or null when there is none (a malformed id included).
   */
  async find(rowId: string): Promise<WebhookDeliveryView | null> {
    if (!ROW_ID.test(rowId)) return null;
    const [row]: DeliveryRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM webhook_delivery WHERE id = $1`, [rowId]);
    return row ? toView(row) : null;
  }

  /**
   * Queues the processing of stored delivery `rowId` again:
   * - a `failed` delivery goes back to `received` (processable again, and the outbox relay's again should
   *   this enqueue be lost), keeping its error and attempts until a run succeeds;
   * - its job (the deterministic `delivery-<row>-<guid>` id) is then moved back from the failed list with
   *   its attempts reset, or added when Redis holds none, or replaced when only a completed one is kept;
   *   a job already waiting, delayed or running is left as it is;
   * - a `processed` or `ignored` delivery is left alone (outcome `already-done`): processing it again
   *   would change nothing.
   * @returns the delivery as it is after the call, and the outcome.
   * @throws WebhookDeliveryException DELIVERY_NOT_FOUND when no such row exists; a Redis error when the
   *   job could not be queued (the row may then be `received` already: calling again queues it).
   */
  async redeliver(rowId: string): Promise<{ delivery: WebhookDeliveryView; outcome: RedeliveryOutcome }> {
    const notFound = () => new WebhookDeliveryException(`No webhook delivery with id "${rowId}"`, WebhookDeliveryExceptionCode.DELIVERY_NOT_FOUND);
    if (!ROW_ID.test(rowId)) throw notFound();
    // a SELECT over the CTE, so that TypeORM returns the rows (not [rows, count] as for UPDATE)
    const [row]: DeliveryRow[] = await this.dataSource.query(
      `WITH reopened AS (
         UPDATE webhook_delivery SET status = CASE WHEN status = 'failed' THEN 'received' ELSE status END
         WHERE id = $1
         RETURNING ${COLUMNS})
       SELECT * FROM reopened`,
      [rowId],
    );
    if (!row) throw notFound();
    const delivery = toView(row);
    if (delivery.status === 'processed' || delivery.status === 'ignored') return { delivery, outcome: 'already-done' };
    await this.enqueue({ rowId: delivery.id, deliveryId: delivery.deliveryId });
    return { delivery, outcome: 'queued' };
  }

  /** Makes sure a job to process `ref` waits in Redis (see {@link redeliver}). */
  private async enqueue(ref: StoredDeliveryRef): Promise<void> {
    const job = processDeliveryJob(ref, this.retry);
    const existing = await this.queue.getJob(job.opts.jobId!);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        // a concurrent redelivery may have moved it first: then it is no longer failed, which is what we want
        await retryFailedJob(existing);
        return;
      }
      if (state !== 'completed' && state !== 'unknown') return; // waiting, delayed, prioritized or running
      // a completed job is kept an hour and would make the add below a no-op
      await existing.remove().catch(() => undefined);
    }
    // the same job id as the request path and the relay: if either added it meanwhile, this is a no-op
    await this.queue.add(JobName.ProcessDelivery, job.data, job.opts);
  }
}

function toView(row: DeliveryRow): WebhookDeliveryView {
  return {
    id: row.id,
    deliveryId: row.delivery_id,
    event: row.event,
    action: row.action,
    repositoryId: row.repository_id === null ? null : Number(row.repository_id),
    status: row.status,
    attempts: row.attempts,
    error: row.error,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}
