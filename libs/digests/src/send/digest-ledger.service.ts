import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '#libs/members';
import { parseIsoWeek } from '../iso-week.js';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';
import { DIGEST_SEND_STATUSES, SEND_COLUMNS, toSendRecord, type DigestSendRecord, type DigestSendRow, type DigestSendStatus } from './digest-ledger.types.js';

/** What taking a ledger row gave. */
export type LedgerTake =
  /** The row is this attempt's to compose and send (`pending`; its `attempts` counted). */
  | { state: 'taken'; row: DigestSendRecord }
  /** Finished already (sent, empty, skipped, bounced, failed, uncertain): nothing to do. */
  | { state: 'finished'; row: DigestSendRecord }
  /** Another execution has it in an SMTP transaction (`sending`, lease not over). */
  | { state: 'in-flight'; row: DigestSendRecord }
  /** Found `sending` with its lease over: the earlier execution died inside the SMTP transaction. */
  | { state: 'interrupted'; row: DigestSendRecord };

/** A page of the ledger, newest first. */
export interface DigestSendPage {
  items: Array<{ cursor: string; record: DigestSendRecord }>;
  hasNextPage: boolean;
}

/** Filters of {@link DigestLedgerService.list}. */
export interface DigestSendFilter {
  week?: string | null;
  status?: DigestSendStatus | null;
  memberId?: string | null;
}

const CURSOR_KIND = 'digest-sends';
const cursorValues = z.tuple([z.string().regex(/^\d+$/)]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The send ledger `digest_send`: one row per (member, ISO week) under a unique constraint, taken before
 * anything is composed or sent; each state change is a conditional UPDATE on the status it expects, so
 * two executions of the same job (BullMQ delivers at least once) cannot both hand the message to SMTP.
 */
@Injectable()
export class DigestLedgerService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Takes the row of (member, week): inserts it `pending` (`INSERT ... ON CONFLICT DO NOTHING` on the
   * unique key), then counts an attempt if it is still `pending`; otherwise says where it stands.
   * @param messageId the Message-ID the row gets if it is new (kept across retries)
   */
  async take(memberId: string, week: string, messageId: string): Promise<LedgerTake> {
    await this.dataSource.query(
      `INSERT INTO digest_send (member_id, iso_week, message_id) VALUES ($1, $2, $3) ON CONFLICT (member_id, iso_week) DO NOTHING`,
      [memberId, week, messageId],
    );
    const [taken]: DigestSendRow[] = await this.dataSource.query(
      // in a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count]
      `WITH taken AS (
         UPDATE digest_send SET attempts = attempts + 1, updated_at = now() WHERE member_id = $1 AND iso_week = $2 AND status = 'pending'
         RETURNING *
       )
       SELECT ${SEND_COLUMNS} FROM taken`,
      [memberId, week],
    );
    if (taken) return { state: 'taken', row: toSendRecord(taken) };
    const [row]: DigestSendRow[] = await this.dataSource.query(`SELECT ${SEND_COLUMNS} FROM digest_send WHERE member_id = $1 AND iso_week = $2`, [
      memberId,
      week,
    ]);
    if (row.status !== 'sending') return { state: 'finished', row: toSendRecord(row) };
    return { state: row.lease_expired ? 'interrupted' : 'in-flight', row: toSendRecord(row) };
  }

  /**
   * A row of another member of the same merge group for this week that was sent or may have been
   * (sent, sending, uncertain): a merged member already had this week's digest.
   */
  async sentToMergeGroup(memberId: string, week: string): Promise<DigestSendRecord | null> {
    const [row]: DigestSendRow[] = await this.dataSource.query(
      `WITH RECURSIVE grp (id, depth) AS (
         SELECT member_root($1::uuid), 0
         UNION ALL
         SELECT m.id, g.depth + 1 FROM member m JOIN grp g ON m.merged_into_id = g.id WHERE g.depth < 32
       )
       SELECT ${SEND_COLUMNS} FROM digest_send WHERE id = (
         SELECT s.id FROM digest_send s JOIN grp ON grp.id = s.member_id
         WHERE s.iso_week = $2 AND s.member_id <> $1 AND s.status IN ('sent', 'sending', 'uncertain') LIMIT 1
       )`,
      [memberId, week],
    );
    return row ? toSendRecord(row) : null;
  }

  /**
   * Records that nothing is sent for (member, week) because of `reason`: a new row `skipped`, or a
   * `pending` one turned `skipped`; a row in any other state stays as it is.
   */
  async skip(memberId: string, week: string, messageId: string, reason: string): Promise<DigestSendRecord> {
    await this.dataSource.query(
      `INSERT INTO digest_send AS s (member_id, iso_week, message_id, status, reason) VALUES ($1, $2, $3, 'skipped', $4)
       ON CONFLICT (member_id, iso_week) DO UPDATE SET status = 'skipped', reason = EXCLUDED.reason, updated_at = now()
       WHERE s.status = 'pending'`,
      [memberId, week, messageId, reason],
    );
    return (await this.find(memberId, week))!;
  }

  /** `pending` → `empty` with the composer's reason. */
  async markEmpty(id: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE digest_send SET status = 'empty', reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`, [id, reason]);
  }

  /**
   * `pending` → `sending` with the address and a lease: from here a lost execution leaves the row
   * `sending`, which a later one reads as "maybe delivered".
   * @returns false when the row was no longer `pending` (another execution took it further)
   */
  async startSending(id: string, email: string, leaseSeconds: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH started AS (
         UPDATE digest_send SET status = 'sending', email = $2, lease_until = now() + make_interval(secs => $3), updated_at = now()
         WHERE id = $1 AND status = 'pending' RETURNING id
       )
       SELECT id FROM started`,
      [id, email, leaseSeconds],
    );
    return rows.length > 0;
  }

  /** `sending` (or `uncertain`, when a slow execution outlived its lease) → `sent` with the server's reply. */
  async markSent(id: string, reply: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE digest_send SET status = 'sent', smtp_reply = $2, sent_at = now(), lease_until = NULL, last_error = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('sending', 'uncertain')`,
      [id, reply.slice(0, 2000)],
    );
  }

  /** `pending` (refused at RCPT TO) or `sending` (refused at the end of the data) → `bounced` with the 5xx reply. */
  async markBounced(id: string, email: string, reply: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE digest_send SET status = 'bounced', email = $2, smtp_reply = $3, last_error = $3, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('pending', 'sending')`,
      [id, email, reply.slice(0, 2000)],
    );
  }

  /**
   * `sending` → `pending` after a reply that refused the message (4xx) or an error before the message was
   * handed over: the next attempt sends it. On the job's last attempt → `failed`.
   */
  async markRetry(id: string, error: string, reply: string | null, final: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE digest_send SET status = $4, last_error = $2, smtp_reply = coalesce($3, smtp_reply), lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status IN ('pending', 'sending')`,
      [id, error.slice(0, 2000), reply?.slice(0, 2000) ?? null, final ? 'failed' : 'pending'],
    );
  }

  /**
   * `sending` → `uncertain`: the execution was lost (or the connection dropped) after the message was handed
   * over and before the reply was recorded. Only when the lease is over, or `force` (the caller saw it).
   */
  async markUncertain(id: string, error: string, force = false): Promise<void> {
    await this.dataSource.query(
      `UPDATE digest_send SET status = 'uncertain', last_error = $2, lease_until = NULL, updated_at = now()
       WHERE id = $1 AND status = 'sending' AND ($3 OR lease_until <= now())`,
      [id, error.slice(0, 2000), force],
    );
  }

  /** The row of (member, week), or null. */
  async find(memberId: string, week: string): Promise<DigestSendRecord | null> {
    const [row]: DigestSendRow[] = await this.dataSource.query(`SELECT ${SEND_COLUMNS} FROM digest_send WHERE member_id = $1 AND iso_week = $2`, [
      memberId,
      week,
    ]);
    return row ? toSendRecord(row) : null;
  }

  /**
   * The ledger, newest first, `first` rows after `after`, filtered by week, status and member (exactly as
   * stored: the member the row was taken for).
   * @throws DigestSendException LEDGER_QUERY_INVALID for `first` outside 1–500, a malformed week, status,
   *   member id or a foreign cursor.
   */
  async list(filter: DigestSendFilter, first: number, after?: string | null): Promise<DigestSendPage> {
    if (!Number.isInteger(first) || first < 1 || first > 500) throw invalid(`first must be between 1 and 500, got ${first}`);
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.week) {
      try {
        parseIsoWeek(filter.week);
      } catch (error) {
        throw invalid((error as Error).message);
      }
      params.push(filter.week);
      where.push(`iso_week = $${params.length}`);
    }
    if (filter.status) {
      if (!DIGEST_SEND_STATUSES.includes(filter.status)) throw invalid(`"${filter.status}" is not a ledger status: ${DIGEST_SEND_STATUSES.join(', ')}`);
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.memberId) {
      if (!UUID.test(filter.memberId)) throw invalid(`"${filter.memberId}" is not a member id`);
      params.push(filter.memberId);
      where.push(`member_id = $${params.length}`);
    }
    if (after) {
      let id: string;
      try {
        [id] = decodeCursor(CURSOR_KIND, after, cursorValues);
      } catch (error) {
        throw invalid((error as Error).message);
      }
      params.push(id);
      where.push(`id < $${params.length}::bigint`);
    }
    params.push(first + 1);
    const rows: DigestSendRow[] = await this.dataSource.query(
      `SELECT ${SEND_COLUMNS} FROM digest_send ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return {
      items: rows.slice(0, first).map((row) => ({ cursor: encodeCursor(CURSOR_KIND, [row.id]), record: toSendRecord(row) })),
      hasNextPage: rows.length > first,
    };
  }

  /** How many rows of a week are in each status (statuses without rows are left out). */
  async countByStatus(week: string): Promise<Array<{ status: DigestSendStatus; count: number }>> {
    return this.dataSource.query(`SELECT status, count(*)::int AS count FROM digest_send WHERE iso_week = $1 GROUP BY status ORDER BY status`, [week]);
  }
}

function invalid(message: string): DigestSendException {
  return new DigestSendException(message, DigestSendExceptionCode.LEDGER_QUERY_INVALID);
}
