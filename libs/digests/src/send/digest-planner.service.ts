import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JobsOptions, Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { CAMBRIAN_CONFIG, type CambrianConfig } from '#libs/config';
import { JobName, QueueName, type SendDigestJobData } from '#libs/queue';
import { parseIsoWeek } from '../iso-week.js';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';
import { dueDigestWeek } from './due-week.js';

/** BullMQ job id of a member's digest of a week: deterministic, so planning twice queues one job; no `:`. */
export const sendDigestJobId = (memberId: string, week: string) => `digest-${memberId}-${week}`;

/** Jobs added per `addBulk` call. */
const BULK = 500;

/** What a planning run queued. */
export interface DigestPlan {
  /** The weeks planned (one per time zone group; usually one or two around Monday). */
  weeks: string[];
  /** Digest jobs added (an existing job of the same member and week is not added twice). */
  queued: number;
}

/**
 * Plans digests. Members are read through merges: the preferences that apply to a survivor are its own
 * row, else the most recently changed row of a member merged into it; a member is planned when those say
 * opted in and not bounced, the member is a person, and the ledger has no row for (member, week) — or a
 * row a lost job left behind: `pending` untouched for an hour, or `sending` past its lease (the job then
 * records `uncertain`; it never sends again).
 */
@Injectable()
export class DigestPlannerService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Digests) private readonly queue: Queue<SendDigestJobData>,
    @Inject(CAMBRIAN_CONFIG) private readonly config: CambrianConfig,
  ) {}

  /**
   * The scheduled run (hourly): for each time zone members are in, the week whose digest is due at `now`
   * ({@link dueDigestWeek}: the week just ended, from local Monday DIGEST_SEND_HOUR:00); queues one job per
   * member of those zones that still needs it.
   */
  async planDue(now: Date = new Date()): Promise<DigestPlan> {
    const zones: Array<{ time_zone: string }> = await this.dataSource.query(
      `SELECT DISTINCT time_zone FROM member_email_preference WHERE digest_opt_in AND bounced_at IS NULL`,
    );
    const due = zones
      .map(({ time_zone }) => ({ zone: time_zone, week: safeDueWeek(now, time_zone, this.config.DIGEST_SEND_HOUR) }))
      .filter((entry): entry is { zone: string; week: string } => entry.week !== null);
    if (!due.length) return { weeks: [], queued: 0 };
    const members = await this.candidates(
      `JOIN unnest($1::text[], $2::text[]) AS due(time_zone, week) ON due.time_zone = eff.time_zone`,
      [due.map((entry) => entry.zone), due.map((entry) => entry.week)],
    );
    return { weeks: [...new Set(due.map((entry) => entry.week))].sort(), queued: await this.enqueue(members) };
  }

  /**
   * Starts a run for one week now, whatever the members' local time (the console and the demo): queues a job
   * for every opted-in member without a ledger row for that week.
   * @throws DigestSendException WEEK_INVALID for a malformed week key.
   */
  async planWeek(week: string): Promise<DigestPlan> {
    try {
      parseIsoWeek(week);
    } catch (error) {
      throw new DigestSendException((error as Error).message, DigestSendExceptionCode.WEEK_INVALID);
    }
    const members = await this.candidates(`CROSS JOIN (SELECT $1::text AS week) AS due`, [week]);
    return { weeks: [week], queued: await this.enqueue(members) };
  }

  private candidates(joinDue: string, params: unknown[]): Promise<Array<{ member_id: string; week: string }>> {
    return this.dataSource.query(
      `WITH eff AS (
         SELECT DISTINCT ON (g.root) g.root, g.digest_opt_in, g.bounced_at, g.time_zone
         FROM (
           SELECT CASE WHEN m.merged_into_id IS NULL THEN p.member_id ELSE member_root(p.member_id) END AS root,
                  p.member_id, p.digest_opt_in, p.bounced_at, p.time_zone, p.updated_at
           FROM member_email_preference p JOIN member m ON m.id = p.member_id
         ) g
         ORDER BY g.root, (g.member_id = g.root) DESC, g.updated_at DESC
       )
       SELECT eff.root AS member_id, due.week FROM eff
       JOIN member m ON m.id = eff.root AND m.kind = 'person'
       ${joinDue}
       LEFT JOIN digest_send s ON s.member_id = eff.root AND s.iso_week = due.week
       WHERE eff.digest_opt_in AND eff.bounced_at IS NULL
         AND (s.id IS NULL
              OR (s.status = 'pending' AND s.updated_at < now() - interval '1 hour')
              OR (s.status = 'sending' AND s.lease_until <= now()))
       ORDER BY eff.root`,
      params,
    );
  }

  private async enqueue(members: Array<{ member_id: string; week: string }>): Promise<number> {
    const opts: JobsOptions = {
      attempts: this.config.DIGEST_SEND_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.DIGEST_RETRY_DELAY_MS },
      // the ledger is the record of what was sent; a finished job's id must not block a later re-plan
      removeOnComplete: true,
      removeOnFail: true,
    };
    let queued = 0;
    for (let start = 0; start < members.length; start += BULK) {
      const chunk = members.slice(start, start + BULK);
      const jobs = await this.queue.addBulk(
        chunk.map(({ member_id, week }) => ({
          name: JobName.SendDigest,
          data: { memberId: member_id, week },
          opts: { ...opts, jobId: sendDigestJobId(member_id, week) },
        })),
      );
      queued += jobs.length;
    }
    return queued;
  }
}

/** {@link dueDigestWeek}, or null for a zone the runtime does not know (a row written before validation). */
function safeDueWeek(now: Date, timeZone: string, hour: number): string | null {
  try {
    return dueDigestWeek(now, timeZone, hour);
  } catch {
    return null;
  }
}
