import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { parseNoreplyEmail } from '#libs/members';
import type { DigestLocale, DigestRecipient } from '../digest.types.js';
import { DigestSendException, DigestSendExceptionCode } from './digest-send.exception.js';
import { canonicalTimeZone, normaliseEmailAddress, parseLocalePreference } from './email-preference-input.js';
import { toPreferences, type EmailPreferences, type EmailPreferencesChange, type PreferenceRow } from './email-preference.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The members a member's preferences are shared with: its root (`member_root`, migration
 * 1764700000001) and every member merged into that root, directly or down a chain. `$1` is a member id.
 */
const MERGE_GROUP = `
  WITH RECURSIVE grp (id, depth) AS (
    SELECT member_root($1::uuid), 0
    UNION ALL
    SELECT m.id, g.depth + 1 FROM member m JOIN grp g ON m.merged_into_id = g.id WHERE g.depth < 32
  )`;

const COLUMNS = `p.member_id, member_root(p.member_id) AS root_id, p.email, p.digest_opt_in, p.locale, p.time_zone,
  p.unsubscribed_at, p.bounced_at, p.bounce_reply, p.updated_at`;

/** A {@link DigestRecipient} whose locale may still be "the ecosystem's default" (null). */
export type PreferredRecipient = Omit<DigestRecipient, 'locale'> & { locale: DigestLocale | null };

/** Why a member gets no digest (the send log records it as `skipped`). */
export type NoRecipientReason = 'no-member' | 'not-a-person' | 'no-preferences' | 'not-opted-in' | 'bounced';

/**
 * Members' e-mail preferences: address, digest opt-in, locale, time zone, unsubscribe and bounce marks.
 * Rows stay under the member they were written for; every read goes through merges, so a merged
 * member's preferences are the survivor's: the survivor's own row when it has one, else the most
 * recently changed row of its merge group. An unsubscribe or a bounce marks every row of the group.
 */
@Injectable()
export class EmailPreferenceService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The preferences that apply to a member (through merges), or null when the member has none. */
  async get(memberId: string): Promise<EmailPreferences | null> {
    if (!UUID.test(memberId)) return null;
    const [row]: PreferenceRow[] = await this.dataSource.query(
      `${MERGE_GROUP}
       SELECT ${COLUMNS} FROM member_email_preference p JOIN grp ON grp.id = p.member_id
       ORDER BY (p.member_id = member_root($1::uuid)) DESC, p.updated_at DESC LIMIT 1`,
      [memberId],
    );
    return row ? toPreferences(row) : null;
  }

  /**
   * Creates or changes a member's preferences, on the row of the member the id resolves to (the
   * survivor of merges), starting from the preferences that applied until then.
   * @throws DigestSendException MEMBER_NOT_FOUND; PREFERENCES_INVALID naming a malformed address, time zone or
   *   locale, or when the member has no preferences yet, no address is given and none is known.
   */
  async set(memberId: string, change: EmailPreferencesChange): Promise<EmailPreferences> {
    const root = await this.rootOf(memberId);
    const email = change.email === undefined ? undefined : normaliseEmailAddress(change.email);
    const timeZone = change.timeZone === undefined ? undefined : canonicalTimeZone(change.timeZone);
    const locale = change.locale === undefined ? undefined : parseLocalePreference(change.locale);
    const current = await this.get(root);
    const address = email ?? current?.email ?? (await this.knownAddress(root));
    if (!address) {
      throw new DigestSendException(
        `Member ${root} has no known e-mail address (no commit e-mail other than a GitHub noreply address): give one`,
        DigestSendExceptionCode.PREFERENCES_INVALID,
      );
    }
    const optIn = change.digestOptIn ?? current?.digestOptIn ?? false;
    const addressChanged = current !== null && address !== current.email;
    await this.dataSource.query(
      `INSERT INTO member_email_preference AS p (member_id, email, digest_opt_in, locale, time_zone, unsubscribed_at, bounced_at, bounce_reply)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (member_id) DO UPDATE SET email = EXCLUDED.email, digest_opt_in = EXCLUDED.digest_opt_in, locale = EXCLUDED.locale,
         time_zone = EXCLUDED.time_zone, unsubscribed_at = EXCLUDED.unsubscribed_at, bounced_at = EXCLUDED.bounced_at,
         bounce_reply = EXCLUDED.bounce_reply, updated_at = now()`,
      [
        root,
        address,
        optIn,
        locale === undefined ? (current?.locale ?? null) : locale,
        timeZone ?? current?.timeZone ?? 'UTC',
        // opting in again clears an unsubscribe; a new address clears a bounce
        change.digestOptIn === true ? null : (current?.unsubscribedAt ?? null),
        addressChanged ? null : (current?.bouncedAt ?? null),
        addressChanged ? null : (current?.bounceReply ?? null),
      ],
    );
    return (await this.get(root))!;
  }

  /**
   * One-click unsubscribe (RFC 8058): turns the digest off on every preference row of the member's merge
   * group and records when. Unsubscribing twice changes nothing the second time.
   * @returns the preferences after the change
   * @throws DigestSendException PREFERENCES_NOT_FOUND when the member has none.
   */
  async unsubscribe(memberId: string): Promise<EmailPreferences> {
    const rows: Array<{ member_id: string }> = await this.dataSource.query(
      `${MERGE_GROUP},
       changed AS (
         UPDATE member_email_preference p SET digest_opt_in = false, unsubscribed_at = coalesce(p.unsubscribed_at, now()), updated_at = now()
         FROM grp WHERE grp.id = p.member_id RETURNING p.member_id
       )
       SELECT member_id FROM changed`,
      [memberId],
    );
    if (!rows.length) throw this.noPreferences(memberId);
    return (await this.get(memberId))!;
  }

  /**
   * Marks an address as bounced (an SMTP 5xx) with the server's reply, on every row of the member's group
   * that has that address: no digest goes to it until the address changes.
   */
  async recordBounce(memberId: string, email: string, reply: string): Promise<void> {
    await this.dataSource.query(
      `${MERGE_GROUP}
       UPDATE member_email_preference p SET bounced_at = now(), bounce_reply = $3, updated_at = now()
       FROM grp WHERE grp.id = p.member_id AND p.email = $2`,
      [memberId, email, reply.slice(0, 2000)],
    );
  }

  /**
   * Who a digest for this member goes to now, or why nobody: the member (resolved through merges) must
   * be a person with preferences, opted in, and an address that has not bounced. `locale` is the member's
   * own choice, null for "the ecosystem's default" (the sender resolves it through DIGEST_DEFAULTS).
   */
  async recipient(memberId: string): Promise<{ recipient: PreferredRecipient } | { reason: NoRecipientReason; memberId: string }> {
    const [member]: Array<{ id: string; kind: string }> = UUID.test(memberId)
      ? await this.dataSource.query(`SELECT id, kind FROM member WHERE id = member_root($1::uuid)`, [memberId])
      : [];
    if (!member) return { reason: 'no-member', memberId };
    if (member.kind !== 'person') return { reason: 'not-a-person', memberId: member.id };
    const preferences = await this.get(member.id);
    if (!preferences) return { reason: 'no-preferences', memberId: member.id };
    if (!preferences.digestOptIn) return { reason: 'not-opted-in', memberId: member.id };
    if (preferences.bouncedAt) return { reason: 'bounced', memberId: member.id };
    return {
      recipient: {
        memberId: member.id,
        email: preferences.email,
        locale: preferences.locale,
        timeZone: preferences.timeZone,
      },
    };
  }

  /**
   * The member a member id resolves to through merges.
   * @throws DigestSendException MEMBER_NOT_FOUND for a malformed or unknown id.
   */
  async rootOf(memberId: string): Promise<string> {
    const [row]: Array<{ id: string }> = UUID.test(memberId)
      ? await this.dataSource.query(`SELECT id FROM member WHERE id = member_root($1::uuid)`, [memberId])
      : [];
    if (!row) throw new DigestSendException(`No member ${memberId}`, DigestSendExceptionCode.MEMBER_NOT_FOUND);
    return row.id;
  }

  /** The member's most recent commit e-mail that is not a GitHub noreply address. */
  private async knownAddress(memberId: string): Promise<string | null> {
    const rows: Array<{ key: string }> = await this.dataSource.query(
      `${MERGE_GROUP}
       SELECT i.key FROM identity i JOIN grp ON grp.id = i.member_id WHERE i.platform = 'email' ORDER BY i.created_at DESC`,
      [memberId],
    );
    for (const { key } of rows) {
      if (parseNoreplyEmail(key)) continue;
      try {
        return normaliseEmailAddress(key);
      } catch {
        // not an address a digest can go to
      }
    }
    return null;
  }

  private noPreferences(memberId: string): DigestSendException {
    return new DigestSendException(`Member ${memberId} has no e-mail preferences`, DigestSendExceptionCode.PREFERENCES_NOT_FOUND);
  }
}
