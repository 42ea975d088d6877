import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { JobName, QueueName, RedisReadiness, type EvaluateStageOutboxJobData } from '#libs/queue';
import { MARK_ENQUEUED_SQL } from './stage-outbox.js';

/**
 * Key of the transaction-level advisory lock that lets one relay pass run at a time across every
 * worker of a database. "STOB" in ASCII.
 */
export const STAGE_OUTBOX_RELAY_LOCK_KEY = 0x53544f42;

/** How often a worker looks for requested evaluations (ms). */
export const STAGE_OUTBOX_RELAY_EVERY_MS = 1000;

/**
 * A request waits this long (s) before it is enqueued: the sync writes a page's pull request rows
 * (who merged them) just after their activities, and the merger's evaluation should see them; and
 * the requests of a second's deliveries for one member become one evaluation.
 */
export const STAGE_OUTBOX_SETTLE_SECONDS = 1;

/** A row enqueued this long ago (s) and still there is enqueued again (its job was lost, or failed every attempt). */
export const STAGE_OUTBOX_REENQUEUE_AFTER_SECONDS = 600;

/** Milliseconds Redis has to take a pass's jobs before the pass is abandoned (rolled back, retried by the next). */
export const STAGE_OUTBOX_REDIS_TIMEOUT_MS = 5000;

/** Outbox rows read per pass, and per `evaluate-stage-outbox` job. */
const ROWS_PER_PASS = 5000;
const KEYS_PER_JOB = 200;

interface OutboxRow {
  key: string;
  seq: string;
  /** For a row enqueued before at its current `seq` (enqueued again): when that was, in epoch ms; else null. */
  again: string | null;
}

/**
 * The relay of the stage evaluation outbox, run by apps/worker: every
 * {@link STAGE_OUTBOX_RELAY_EVERY_MS} a pass takes the requests older than
 * {@link STAGE_OUTBOX_SETTLE_SECONDS} not enqueued at their current `seq` (or enqueued more than
 * {@link STAGE_OUTBOX_REENQUEUE_AFTER_SECONDS} ago), adds `evaluate-stage-outbox` jobs of up to
 * 200 keys, and marks the rows enqueued — in one Postgres transaction holding the advisory lock
 * {@link STAGE_OUTBOX_RELAY_LOCK_KEY} (`pg_try_advisory_xact_lock`: a worker that does not get it
 * skips its turn). The job deletes the rows once the evaluation committed
 * (StageService.evaluateOutbox). So a worker killed after the activities committed leaves the
 * request in Postgres for the next pass; a worker killed after the enqueue leaves a job BullMQ
 * retries; a pass killed after its `addBulk` and before its commit enqueues the same job id again
 * (a no-op while the job exists, an evaluation that changes nothing otherwise).
 */
@Injectable()
export class StageOutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('StageOutboxRelay');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private lastErrorLog = 0;
  private readonly redis: RedisReadiness;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Stages) private readonly queue: Queue<EvaluateStageOutboxJobData>,
  ) {
    this.redis = new RedisReadiness(queue);
  }

  /** Starts the periodic passes. */
  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.trigger(), STAGE_OUTBOX_RELAY_EVERY_MS);
    this.timer.unref();
  }

  /** Stops the passes and waits for the one running (its transaction ends before Postgres closes). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.redis.dispose();
    await this.running;
  }

  private trigger(): void {
    if (this.stopped || this.running) return;
    this.running = this.relayPending()
      .then(() => undefined)
      .catch((error: Error) => {
        if (Date.now() - this.lastErrorLog < 60_000) return;
        this.lastErrorLog = Date.now();
        this.logger.warn(`stage outbox relay pass stopped: ${error.message}; the next pass retries`);
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  /**
   * One pass (see the class).
   * @param settleSeconds how old a request must be (default {@link STAGE_OUTBOX_SETTLE_SECONDS}).
   * @returns how many outbox rows were enqueued (0 when another worker holds the relay lock, or
   *   while Redis is known to be away: a pass never waits for Redis inside its transaction).
   * @throws a Postgres or Redis error, or Redis not taking the jobs within
   *   {@link STAGE_OUTBOX_REDIS_TIMEOUT_MS}; the pass's transaction is rolled back (rows not marked;
   *   jobs Redis takes later carry the ids the next pass adds again, a no-op).
   */
  async relayPending(settleSeconds = STAGE_OUTBOX_SETTLE_SECONDS): Promise<number> {
    if (this.redis.isReady() === false) return 0;
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [STAGE_OUTBOX_RELAY_LOCK_KEY])) as Array<{ locked: boolean }>;
      if (!locked) return 0;
      const rows: OutboxRow[] = await manager.query(
        `SELECT key, seq::text AS seq,
                CASE WHEN enqueued_seq = seq THEN floor(extract(epoch FROM enqueued_at) * 1000)::bigint::text END AS again
         FROM stage_evaluation_outbox
         WHERE requested_at <= now() - make_interval(secs => $1)
           AND (enqueued_seq IS DISTINCT FROM seq OR enqueued_at < now() - make_interval(secs => $2))
         ORDER BY seq LIMIT $3`,
        [settleSeconds, STAGE_OUTBOX_REENQUEUE_AFTER_SECONDS, ROWS_PER_PASS],
      );
      if (rows.length === 0) return 0;
      const jobs = [];
      for (let start = 0; start < rows.length; start += KEYS_PER_JOB) {
        const chunk = rows.slice(start, start + KEYS_PER_JOB);
        const data: EvaluateStageOutboxJobData = { keys: chunk.map((row) => row.key), seqs: chunk.map((row) => row.seq) };
        // rows enqueued before at these seqs: their earlier job may still be kept in Redis as failed
        // (removeOnFail), and BullMQ ignores an add under the id of a job it keeps, so the id names
        // the earlier enqueue too; a pass killed before its commit still reuses the same id
        const again = chunk.reduce<string | null>((latest, row) => (row.again !== null && (latest === null || BigInt(row.again) > BigInt(latest)) ? row.again : latest), null);
        jobs.push({
          name: JobName.EvaluateStageOutbox,
          data,
          opts: {
            // seqs are drawn once each, so the id names this request and no later one
            jobId: `stage-outbox-${chunk[0].seq}-${chunk[chunk.length - 1].seq}-${chunk.length}${again === null ? '' : `-again-${again}`}`,
            attempts: 5,
            backoff: { type: 'exponential', delay: 2000 },
            removeOnComplete: 1000,
            removeOnFail: 1000,
          },
        });
      }
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          this.queue.addBulk(jobs),
          new Promise<never>((_resolve, reject) => {
            timer = setTimeout(() => reject(new Error(`Redis did not take the stage evaluation jobs within ${STAGE_OUTBOX_REDIS_TIMEOUT_MS} ms`)), STAGE_OUTBOX_REDIS_TIMEOUT_MS);
          }),
        ]);
      } finally {
        clearTimeout(timer);
      }
      await manager.query(MARK_ENQUEUED_SQL, [rows.map((row) => row.key), rows.map((row) => row.seq)]);
      return rows.length;
    });
  }
}
