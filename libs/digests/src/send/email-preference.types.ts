import type { DigestLocale } from '../digest.types.js';

/** A member's e-mail preferences as they apply to the member (the survivor of any merge). */
export interface EmailPreferences {
  /** The member the preferences apply to: the end of the `merged_into_id` chain. */
  memberId: string;
  /** The member the row is stored under (a member merged into `memberId` when the survivor has none of its own). */
  storedMemberId: string;
  email: string;
  digestOptIn: boolean;
  /** null: the default locale of the member's ecosystem. */
  locale: DigestLocale | null;
  /** IANA time zone name. */
  timeZone: string;
  unsubscribedAt: Date | null;
  bouncedAt: Date | null;
  /** The SMTP reply of the bounce (e.g. `550 5.1.1 mailbox unavailable`). */
  bounceReply: string | null;
  updatedAt: Date;
}

/** Changes to a member's preferences; omitted fields stay as they are. */
export interface EmailPreferencesChange {
  /** A new address (clears a bounce). When a member has no preferences yet and none is given, the latest
   *  commit e-mail of the member that is not a GitHub noreply address is used. */
  email?: string;
  /** true clears an earlier unsubscribe. */
  digestOptIn?: boolean;
  /** null: the ecosystem's default. */
  locale?: string | null;
  timeZone?: string;
}

export interface PreferenceRow {
  member_id: string;
  root_id: string;
  email: string;
  digest_opt_in: boolean;
  locale: DigestLocale | null;
  time_zone: string;
  unsubscribed_at: Date | null;
  bounced_at: Date | null;
  bounce_reply: string | null;
  updated_at: Date;
}

export function toPreferences(row: PreferenceRow): EmailPreferences {
  return {
    memberId: row.root_id,
    storedMemberId: row.member_id,
    email: row.email,
    digestOptIn: row.digest_opt_in,
    locale: row.locale,
    timeZone: row.time_zone,
    unsubscribedAt: row.unsubscribed_at,
    bouncedAt: row.bounced_at,
    bounceReply: row.bounce_reply,
    updatedAt: row.updated_at,
  };
}
