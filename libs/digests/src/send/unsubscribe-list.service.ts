import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '#libs/members';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';
import { toPreferences, type EmailPreferences, type PreferenceRow } from './email-preference.types.js';

/** A page of unsubscribed members, latest unsubscribe first. */
export interface UnsubscribePage {
  items: Array<{ cursor: string; preferences: EmailPreferences }>;
  hasNextPage: boolean;
  /** Unsubscribed members in all (every page). */
  totalCount: number;
}

const CURSOR_KIND = 'digest-unsubscribes';
/** Cursor values: the unsubscribe instant in microseconds since the epoch (Postgres keeps microseconds), the member id. */
const cursorValues = z.tuple([z.string().regex(/^\d+$/), z.uuid()]);

/**
 * The preferences that apply to each member (one row per merge group, chosen as
 * EmailPreferenceService.get chooses: the survivor's own row, else the group's most recently changed row),
 * kept when they carry an unsubscribe. `unsub_us` is the unsubscribe instant in microseconds.
 */
const UNSUBSCRIBED = `
  WITH applied AS (
    SELECT DISTINCT ON (member_root(p.member_id))
           p.member_id, member_root(p.member_id) AS root_id, p.email, p.digest_opt_in, p.locale, p.time_zone,
           p.unsubscribed_at, p.bounced_at, p.bounce_reply, p.updated_at
      FROM member_email_preference p
     ORDER BY member_root(p.member_id), (p.member_id = member_root(p.member_id)) DESC, p.updated_at DESC
  ),
  unsubscribed AS (
    SELECT a.*, (extract(epoch FROM a.unsubscribed_at) * 1000000)::bigint AS unsub_us FROM applied a WHERE a.unsubscribed_at IS NOT NULL
  )`;

/**
 * Members who unsubscribed from the weekly digest (one-click or the preferences page) and have not
 * opted in again since, for the console: read through merges like every preference read.
 */
@Injectable()
export class UnsubscribeListService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `first` unsubscribed members after `after`, latest unsubscribe first (ties: member id, descending),
   * with the count of all of them.
   * @throws DigestSendException LEDGER_QUERY_INVALID for `first` outside 1–500 or a foreign cursor.
   */
  async list(first: number, after?: string | null): Promise<UnsubscribePage> {
    if (!Number.isInteger(first) || first < 1 || first > 500) throw invalid(`first must be between 1 and 500, got ${first}`);
    const params: unknown[] = [first + 1];
    let where = '';
    if (after) {
      let values: [string, string];
      try {
        values = decodeCursor(CURSOR_KIND, after, cursorValues);
      } catch (error) {
        throw invalid((error as Error).message);
      }
      params.push(...values);
      where = `WHERE (unsub_us, root_id) < ($2::bigint, $3::uuid)`;
    }
    const [rows, [{ count }]]: [Array<PreferenceRow & { unsub_us: string }>, Array<{ count: number }>] = await Promise.all([
      this.dataSource.query(`${UNSUBSCRIBED} SELECT * FROM unsubscribed ${where} ORDER BY unsub_us DESC, root_id DESC LIMIT $1`, params),
      this.dataSource.query(`${UNSUBSCRIBED} SELECT count(*)::int AS count FROM unsubscribed`),
    ]);
    return {
      items: rows.slice(0, first).map((row) => ({ cursor: encodeCursor(CURSOR_KIND, [String(row.unsub_us), row.root_id]), preferences: toPreferences(row) })),
      hasNextPage: rows.length > first,
      totalCount: count,
    };
  }
}

function invalid(message: string): DigestSendException {
  return new DigestSendException(message, DigestSendExceptionCode.LEDGER_QUERY_INVALID);
}
