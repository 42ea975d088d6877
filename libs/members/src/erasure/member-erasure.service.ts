import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { IdentityException, IdentityExceptionCode } from '../identity.exception.js';
import { erasedMemberName, memberGroupSql, type MemberErasureRecord } from './member-erasure.types.js';

/** Who asked for a deletion, for `member_erasure.requested_by`: `member:<uuid>` or `api-token:<uuid>`. */
const REQUESTER = /^(member|api-token):[0-9a-f-]{36}$/;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AccountRow {
  id: string;
  login: string;
  type: string;
}

interface Collected {
  members: string[];
  identities: Array<{ id: string; platform: string; key: string }>;
  accounts: AccountRow[];
  /** Lower-cased logins of the members and their accounts. */
  logins: string[];
  /** Lower-cased addresses: e-mail identities, the preference's, and the accounts' noreply forms. */
  emails: string[];
  /** Lower-cased names: the members' display names and the accounts' profile names. */
  names: string[];
  suppressedKeys: string[];
  lockKeys: string[];
}

interface ErasureRow {
  member_id: string;
  requested_by: string;
  requested_at: Date;
  completed_at: Date | null;
  removed: Record<string, number>;
}

/**
 * The statements by which a deletion finds what names the member outside its own rows, each through
 * an index rather than by reading the table (migration 1764900000040; the EXPLAIN in
 * member-erasure.spec.ts checks the plans):
 * - `memberActivities` ($1 identity ids, $2 the erased identity, $3 the member group and the survivors
 *   of its undone merges): `activity_member_time`;
 * - `activityFacts` ($1 `github:<id>` / `login:<login>` keys): `activity_fact_people`;
 * - `webhookPayloads` ($1 `login:<login>` / `email:<address>` keys): `webhook_delivery_people`;
 * - `auditEvents` ($1 member ids and logins, $2 needles, $3 word pattern, $4 personal keys, $5 logins,
 *   $6 the root member, $7 `member:<id>` actors): `audit_event_mentions`, `audit_event_actor_idx`,
 *   `audit_event_target_idx`.
 */
export const ERASURE_LOOKUPS = {
  memberActivities: `UPDATE activity SET identity_id = $2
        WHERE identity_id = ANY($1::uuid[])
          AND member_id = ANY($3::uuid[])`,
  activityFacts: `UPDATE activity SET facts = facts WHERE erasure_fact_keys(facts) && $1::text[] AND erasure_fact_keys(facts) <> '{}'`,
  webhookPayloads: `UPDATE webhook_delivery SET payload = '{"removed": "personal data deleted"}'::json
        WHERE status IN ('processed', 'ignored', 'failed') AND erasure_payload_keys(payload) && $1::text[]`,
  auditEvents: `UPDATE audit_event SET
              arguments = erasure_scrub_audit(arguments, $1, $2, $3, $4, about, about),
              before = erasure_scrub_audit(before, $1, $2, $3, $4, false, about),
              after = erasure_scrub_audit(after, $1, $2, $3, $4, false, about),
              error_message = CASE WHEN error_message IS NULL OR $3 = '' THEN error_message ELSE regexp_replace(error_message, $3, '[erased]', 'gi') END,
              target_id = CASE WHEN target_type = 'member' AND lower(target_id) = ANY($5::text[]) THEN $6 ELSE target_id END
         FROM (SELECT id AS event_id, (actor = ANY($7::text[]) OR (target_type = 'member' AND lower(target_id) = ANY($1::text[]))) AS about
                 FROM audit_event
                WHERE audit_event_mentions(arguments, before, after) && $1::text[]
                   OR actor = ANY($7::text[])
                   OR (target_type = 'member' AND target_id = ANY($1::text[]))) found
        WHERE audit_event.id = found.event_id`,
} as const;

/**
 * Deletes a member's personal data (GDPR art. 17, issue 8) and keeps their contributions as
 * anonymous activity, so that activity counts, stages, leaderboards, funnels and hackathon results
 * keep their totals. Runs in one transaction: either everything below happened or nothing did.
 *
 * For the member and every member merged into it (`merged_into_id` chain):
 * - GitHub accounts are replaced by surrogate accounts with a negative id and no login, name,
 *   avatar or company (pull requests, issues and `facts.merged_by` point at the surrogate, so
 *   "merged the pull requests of others" still counts); GitHub and e-mail identities are deleted,
 *   their activities and commits now belong to one `erased` identity of the member; commit author
 *   names and the member's `Co-authored-by` names and addresses are removed; issue authors in facts
 *   (`author_id`, or the `author` login of rows written before the id was kept) are cleared;
 * - the keyed hash (`erasure_key_hash`) of each account id and address goes to
 *   `erasure_suppression`, so a later sync, webhook or GH Archive import of the same account or
 *   address resolves to the anonymous member and stores nothing about it;
 * - the member row stays: display name "Deleted member", no login, `erased_at` set;
 * - affiliations, e-mail preferences, sign-in sessions, identity evidence and merge suggestions
 *   naming the member are deleted; digest sends keep their status but lose the address and SMTP
 *   texts; hackathon registrations keep their dates but lose skills, interests, needs and consent;
 *   merge audit rows lose their snapshots and reasons;
 * - other activities' facts naming the member (`merged_by`, an issue's `author`, a push's `login`,
 *   a fork's `full_name`, a merge commit's `from <login>/<branch>` headline) are made anonymous by
 *   `erasure_scrub_facts`, the function the trigger `activity_erased_accounts` applies to later writes;
 * - processed, ignored or failed webhook deliveries whose payload names one of the member's logins
 *   (`login`, `username`) or addresses lose their payload (a delivery still waiting loses it when it
 *   ends, through the trigger `webhook_delivery_erased_payload`);
 * - audit rows (`audit_event`) naming the member keep who did what when, but the member's logins,
 *   names and addresses, and the personal fields of objects about the member (skills, needs,
 *   affiliations, profile fields: `erasure_scrub_audit`), become "[erased]" — in the rows about the
 *   member (actor, member target) and in objects naming the member, not in rows about something else
 *   that shares the word (migration 1764900000100); a login as the target id
 *   of a member target becomes the member's id (another kind of target named by the same word, e.g.
 *   an ecosystem's slug, keeps its id).
 * Everything outside the member's own rows is found through indexes ({@link ERASURE_LOOKUPS}).
 * A deletion is recorded in `member_erasure` (who asked, when, how many rows of each kind) without
 * personal data. Asking again changes nothing and answers the first record.
 */
@Injectable()
export class MemberErasureService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Erases the member `memberId` (any member of a merge chain names its root).
   * @param requestedBy `member:<uuid>` (the member themself) or `api-token:<uuid>` (an admin).
   * @returns the record of the deletion; `alreadyErased` when it had been done before.
   * @throws IdentityException BAD_USER_INPUT for a malformed id or requester, or for a bot or the
   *   deleted-user sentinel (nobody's personal data); NOT_FOUND for an unknown member.
   */
  async erase(memberId: string, requestedBy: string): Promise<MemberErasureRecord> {
    if (!UUID.test(memberId)) throw new IdentityException(`"${memberId}" is not a member id (UUID)`, IdentityExceptionCode.BAD_USER_INPUT);
    if (!REQUESTER.test(requestedBy)) {
      throw new IdentityException(`requestedBy: "${requestedBy}" is not member:<uuid> or api-token:<uuid>`, IdentityExceptionCode.BAD_USER_INPUT);
    }
    return this.dataSource.transaction(async (manager) => {
      const [root]: Array<{ id: string; kind: string }> = await manager.query(
        `SELECT id, kind FROM member WHERE id = member_root($1::uuid)`,
        [memberId.toLowerCase()],
      );
      if (!root) throw new IdentityException(`No member ${memberId}`, IdentityExceptionCode.NOT_FOUND);
      if (root.kind !== 'person') {
        throw new IdentityException(`Member ${root.id} is a ${root.kind}, not a person: it holds nobody's personal data`, IdentityExceptionCode.BAD_USER_INPUT);
      }
      // one deletion of a member at a time; a second caller finds the first one's record
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`member-erasure:${root.id}`]);
      const done = await this.record(manager, root.id);
      if (done) return { ...done, alreadyErased: true };
      const [{ requested_at: requestedAt }]: Array<{ requested_at: Date }> = await manager.query(`SELECT clock_timestamp() AS requested_at`);
      const removed = await this.eraseGroup(manager, root.id);
      await manager.query(
        `INSERT INTO member_erasure (member_id, requested_by, requested_at, completed_at, removed) VALUES ($1, $2, $3, clock_timestamp(), $4)`,
        [root.id, requestedBy, requestedAt, JSON.stringify(removed)],
      );
      return { ...(await this.record(manager, root.id))!, alreadyErased: false };
    });
  }

  /**
   * Checks a member's own confirmation of their deletion: `confirmation` must repeat the member's
   * current GitHub login (letter case and a leading `@` aside), or its id when it has no login
   * (a member known only from git history). An erased member needs none (asking again changes nothing).
   * @throws IdentityException BAD_USER_INPUT when it does not match; NOT_FOUND for an unknown member.
   */
  async checkConfirmation(memberId: string, confirmation: string | null | undefined): Promise<void> {
    if (!UUID.test(memberId)) throw new IdentityException(`"${memberId}" is not a member id (UUID)`, IdentityExceptionCode.BAD_USER_INPUT);
    const [member]: Array<{ id: string; login: string | null; erased_at: Date | null }> = await this.dataSource.query(
      `SELECT id, login, erased_at FROM member WHERE id = member_root($1::uuid)`,
      [memberId.toLowerCase()],
    );
    if (!member) throw new IdentityException(`No member ${memberId}`, IdentityExceptionCode.NOT_FOUND);
    if (member.erased_at) return;
    const expected = (member.login ?? member.id).toLowerCase();
    const given = (confirmation ?? '').trim().replace(/^@/, '').toLowerCase();
    if (given !== expected) {
      throw new IdentityException(
        `confirmLogin: repeat your GitHub login${member.login ? '' : ' (your member id, as you have none)'} to confirm that your personal data is to be deleted`,
        IdentityExceptionCode.BAD_USER_INPUT,
      );
    }
  }

  /** The record of the member's deletion (by the root of its merge chain), or null when it has not been erased. */
  async find(memberId: string): Promise<MemberErasureRecord | null> {
    if (!UUID.test(memberId)) return null;
    const found = await this.record(this.dataSource.manager, memberId.toLowerCase(), true);
    return found ? { ...found, alreadyErased: true } : null;
  }

  private async record(manager: EntityManager, memberId: string, viaRoot = false): Promise<Omit<MemberErasureRecord, 'alreadyErased'> | null> {
    const [row]: ErasureRow[] = await manager.query(
      `SELECT member_id, requested_by, requested_at, completed_at, removed FROM member_erasure
        WHERE member_id = ${viaRoot ? 'member_root($1::uuid)' : '$1'}`,
      [memberId],
    );
    if (!row) return null;
    return {
      memberId: row.member_id,
      requestedBy: row.requested_by,
      requestedAt: row.requested_at,
      completedAt: row.completed_at,
      removed: row.removed,
    };
  }

  /**
   * What the member group holds that identifies it: identities, GitHub accounts, logins, names,
   * addresses, and the identity keys to suppress and to lock.
   */
  private async collect(manager: EntityManager, rootId: string): Promise<Collected> {
    const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => manager.query(sql, params);
    const members = (await q<{ id: string }>(`${memberGroupSql('$1')} SELECT id FROM grp`, [rootId])).map((row) => row.id);
    const identities = await q<{ id: string; platform: string; key: string }>(
      `SELECT id, platform, key FROM identity WHERE member_id = ANY($1::uuid[]) AND platform IN ('github', 'email')`,
      [members],
    );
    const accounts = await q<AccountRow>(
      `SELECT id::text, login, type FROM github_account
        WHERE member_id = ANY($1::uuid[])
           OR id IN (SELECT github_account_id FROM identity WHERE member_id = ANY($1::uuid[]) AND github_account_id IS NOT NULL)
        ORDER BY id`,
      [members],
    );
    const [names] = await q<{ logins: string[] }>(
      `SELECT array_remove(array_agg(DISTINCT lower(v)), NULL) AS logins
         FROM (SELECT login AS v FROM member WHERE id = ANY($1::uuid[])
               UNION ALL SELECT login FROM github_account WHERE id = ANY($2::bigint[])) v`,
      [members, accounts.map((a) => a.id)],
    );
    const logins = (names.logins ?? []).filter((login) => login !== '');
    const [named] = await q<{ names: string[] | null }>(
      `SELECT array_remove(array_agg(DISTINCT lower(btrim(v))), NULL) AS names
         FROM (SELECT display_name AS v FROM member WHERE id = ANY($1::uuid[])
               UNION ALL SELECT name FROM github_account WHERE id = ANY($2::bigint[])) v
        WHERE length(btrim(v)) >= 3`,
      [members, accounts.map((a) => a.id)],
    );
    const preferenceEmails = await q<{ email: string }>(
      `SELECT lower(email) AS email FROM member_email_preference WHERE member_id = ANY($1::uuid[])`,
      [members],
    );
    const emails = [
      ...new Set([
        ...identities.filter((i) => i.platform === 'email').map((i) => i.key),
        ...preferenceEmails.map((row) => row.email),
        // the noreply forms GitHub gives the accounts (commit and co-author addresses)
        ...accounts.flatMap((a) => [`${a.id}+${a.login.toLowerCase()}@users.noreply.github.com`, `${a.login.toLowerCase()}@users.noreply.github.com`]),
      ]),
    ];
    // logins too: push commits and forks name an account by login only (migration 1764900000040)
    const suppressedKeys = [
      ...new Set([...accounts.map((a) => `github:${a.id}`), ...emails.map((email) => `email:${email}`), ...logins.map((login) => `login:${login}`)]),
    ].sort();
    const lockKeys = [...new Set([...suppressedKeys, ...identities.map((i) => `${i.platform}:${i.key}`)])].sort();
    const memberNames = (named?.names ?? []).filter((name) => name !== erasedMemberName.toLowerCase());
    return { members, identities, accounts, logins, emails, names: memberNames, suppressedKeys, lockKeys };
  }

  private async eraseGroup(manager: EntityManager, rootId: string): Promise<Record<string, number>> {
    const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => manager.query(sql, params);
    // The advisory locks under which resolvers create identities, before the member rows (the order
    // resolvers take them in): a concurrent resolver either created its identity before (it is deleted
    // here) or finds the suppression after. Keys that appear meanwhile (an address linked, a merge
    // committed) are locked on the next pass; the member rows are locked once the set holds still.
    const locked = new Set<string>();
    let collected = await this.collect(manager, rootId);
    for (let pass = 0; ; pass += 1) {
      const fresh = collected.lockKeys.filter((key) => !locked.has(key));
      if (fresh.length === 0 && pass > 0) break;
      if (fresh.length > 0) {
        await q(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`, [fresh]);
        fresh.forEach((key) => locked.add(key));
      }
      await q(`SELECT id FROM member WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [collected.members]);
      collected = await this.collect(manager, rootId);
    }
    const { members, identities, accounts, logins, emails, names, suppressedKeys } = collected;

    const [erased] = await q<{ id: string }>(
      `WITH inserted AS (
         INSERT INTO identity (member_id, platform, key, evidence) VALUES ($1::uuid, 'erased', $1::uuid::text, 'self')
         ON CONFLICT (platform, key) DO NOTHING RETURNING id
       )
       SELECT id FROM inserted UNION ALL SELECT id FROM identity WHERE platform = 'erased' AND key = $1::uuid::text LIMIT 1`,
      [rootId],
    );
    const drawn = await q<{ n: string }>(`SELECT nextval('erased_account_seq')::text AS n FROM generate_series(1, $1::int)`, [accounts.length]);
    const pairs = accounts.map((account, index) => ({ id: account.id, surrogate: `-${drawn[index].n}` }));
    await q(
      `INSERT INTO github_account (id, login, type, member_id, login_set_at)
       SELECT t.id, '', t.type, $3::uuid, '-infinity' FROM unnest($1::bigint[], $2::text[]) AS t(id, type)`,
      [pairs.map((p) => p.surrogate), accounts.map((a) => a.type), rootId],
    );
    const accountIds = pairs.map((p) => p.id);
    const surrogateIds = pairs.map((p) => p.surrogate);

    await q(
      `INSERT INTO erasure_suppression (key_hash, member_id, surrogate_account_id)
       SELECT erasure_key_hash(t.key), $2, t.surrogate FROM unnest($1::text[], $3::bigint[]) AS t(key, surrogate)
       ON CONFLICT (key_hash) DO NOTHING`,
      [
        suppressedKeys,
        rootId,
        suppressedKeys.map((key) => (key.startsWith('github:') ? (pairs.find((p) => `github:${p.id}` === key)?.surrogate ?? null) : null)),
      ],
    );

    const counts: Record<string, number> = {};
    const count = async (name: string, sql: string, params: unknown[]) => {
      const rows = await q<{ n: number }>(`WITH changed AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM changed`, params);
      counts[name] = rows[0].n;
    };
    const identityIds = identities.map((i) => i.id);
    const mapping = `unnest($1::bigint[], $2::bigint[]) AS m(id, surrogate)`;

    const survivors = await q<{ into_member_id: string }>(
      `SELECT DISTINCT into_member_id FROM member_merge WHERE from_member_id = ANY($1::uuid[]) AND unmerged_at IS NOT NULL`,
      [members],
    );
    // the member's activities, through activity_member_time (an activity's member is its identity's, or
    // for a moment after an unmerge the survivor's: activity strays). The trigger activity_erased_accounts
    // clears their own login and fork name as the erased identity takes them over.
    await count(
      'activities',
      ERASURE_LOOKUPS.memberActivities,
      [identityIds, erased.id, [...members, ...survivors.map((row) => row.into_member_id)]],
    );
    // other activities' facts naming the member (merged_by, an issue's author, a push's login, a fork's
    // full name, a merge commit's headline), through the index activity_fact_people; the trigger
    // activity_erased_accounts rewrites them from the suppression written above (erasure_scrub_facts)
    await count(
      'activityFacts',
      ERASURE_LOOKUPS.activityFacts,
      [personKeys(accountIds, logins)],
    );
    await count(
      'commits',
      `UPDATE git_commit SET author_identity_id = $2, author_name = NULL WHERE author_identity_id = ANY($1::uuid[])`,
      [identityIds, erased.id],
    );
    await count(
      'coAuthorTrailers',
      `UPDATE git_commit c SET co_authors = (
         SELECT jsonb_agg(CASE WHEN lower(e->>'email') = ANY($1::text[]) THEN '{"name": null, "email": null, "erased": true}'::jsonb ELSE e END ORDER BY n)
           FROM jsonb_array_elements(c.co_authors) WITH ORDINALITY AS x(e, n))
        WHERE jsonb_typeof(c.co_authors) = 'array' AND c.co_authors <> '[]'::jsonb
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(c.co_authors) e WHERE lower(e->>'email') = ANY($1::text[]))`,
      [emails],
    );
    for (const [column, table] of [
      ['author_account_id', 'pull_request'],
      ['merged_by_account_id', 'pull_request'],
      ['author_account_id', 'issue'],
    ]) {
      await q(`UPDATE ${table} t SET ${column} = m.surrogate FROM ${mapping} WHERE t.${column} = m.id`, [accountIds, surrogateIds]);
    }
    await count(
      'identityEvidence',
      `DELETE FROM identity_evidence
        WHERE identity_id = ANY($1::uuid[])
           OR (kind IN ('api_link', 'verified_email') AND subject = ANY($2::text[]))
           OR (kind = 'noreply_id_mismatch' AND (subject = ANY($3::text[]) OR detail->>'addressAccountId' = ANY($2::text[])
                                                 OR detail->>'apiAccountId' = ANY($2::text[])))`,
      [identityIds, accountIds, emails],
    );
    await count(
      'mergeSuggestions',
      `DELETE FROM member_merge_suggestion WHERE member_id = ANY($1::uuid[]) OR other_member_id = ANY($1::uuid[])`,
      [members],
    );
    await count(
      'mergeAudits',
      `UPDATE member_merge SET before = '{}', after = '{}', identity_ids = '{}', account_ids = '{}',
              reason = 'removed with the member''s personal data',
              unmerge_reason = CASE WHEN unmerge_reason IS NULL THEN NULL ELSE 'removed with the member''s personal data' END
        WHERE into_member_id = ANY($1::uuid[]) OR from_member_id = ANY($1::uuid[])`,
      [members],
    );
    await count('identities', `DELETE FROM identity WHERE id = ANY($1::uuid[])`, [identityIds]);
    await count('githubAccounts', `DELETE FROM github_account WHERE id = ANY($1::bigint[])`, [accountIds]);
    await count('affiliations', `DELETE FROM affiliation WHERE member_id = ANY($1::uuid[])`, [members]);
    await count('emailPreferences', `DELETE FROM member_email_preference WHERE member_id = ANY($1::uuid[])`, [members]);
    await count('sessions', `DELETE FROM auth_session WHERE member_id = ANY($1::uuid[])`, [members]);
    await count(
      'digestSends',
      `UPDATE digest_send SET email = NULL, smtp_reply = NULL, last_error = NULL, reason = NULL, updated_at = now()
        WHERE member_id = ANY($1::uuid[])`,
      [members],
    );
    await count(
      'hackathonRegistrations',
      `UPDATE hackathon_registration SET skills = '{}', interests = '{}', needs = '{}', email_consent = false
        WHERE member_id = ANY($1::uuid[])`,
      [members],
    );
    // through the index webhook_delivery_people (processed, ignored and failed deliveries only)
    await count(
      'webhookPayloads',
      ERASURE_LOOKUPS.webhookPayloads,
      [[...logins.map((login) => `login:${login}`), ...emails.map((email) => `email:${email}`)]],
    );
    await count(
      'auditEvents',
      ERASURE_LOOKUPS.auditEvents,
      [
        [...members, ...logins],
        [...new Set([...logins, ...emails, ...names])],
        wordsPattern([...logins, ...names, ...emails]),
        AUDIT_PERSONAL_KEYS,
        logins,
        rootId,
        members.map((id) => `member:${id}`),
      ],
    );
    await q(
      `UPDATE member SET display_name = $2, login = NULL, erased_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`,
      [members, erasedMemberName],
    );
    counts.members = members.length;
    return counts;
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The identity keys (`github:<id>`, `login:<login>`) that `erasure_fact_keys` gives facts naming these accounts or logins. */
function personKeys(accountIds: string[], logins: string[]): string[] {
  return [...accountIds.map((id) => `github:${id}`), ...logins.map((login) => `login:${login}`)];
}

/**
 * A Postgres regular expression matching any of `words` as a whole word (not inside a longer login,
 * name or address), longest first; '' when there are none.
 */
function wordsPattern(words: string[]): string {
  const unique = [...new Set(words.filter((word) => word.length > 0))].sort((a, b) => b.length - a.length);
  if (unique.length === 0) return '';
  return `(?<![[:alnum:]_.+-])(${unique.map(escapeRegex).join('|')})(?![[:alnum:]_-]|\\.[[:alnum:]])`;
}

/**
 * Keys of an audit document's objects about an erased member whose values are personal data
 * (lower-case, without underscores): profile fields, addresses, registration answers, affiliations.
 */
const AUDIT_PERSONAL_KEYS = [
  'login',
  'displayname',
  'name',
  'email',
  'emails',
  'avatarurl',
  'avatar',
  'company',
  'location',
  'bio',
  'blog',
  'skills',
  'interests',
  'needs',
  'emailconsent',
  'timezone',
  'language',
  'locale',
  'authorname',
  'identities',
  'accounts',
  'githubaccounts',
  'affiliations',
  'organization',
  'organizationid',
  'organizationname',
  'evidence',
];
