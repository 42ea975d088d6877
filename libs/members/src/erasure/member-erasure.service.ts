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
 * - processed (or ignored) webhook deliveries whose payload names one of the member's logins or
 *   addresses lose their payload.
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
    const suppressedKeys = [...new Set([...accounts.map((a) => `github:${a.id}`), ...emails.map((email) => `email:${email}`)])].sort();
    const lockKeys = [...new Set([...suppressedKeys, ...identities.map((i) => `${i.platform}:${i.key}`)])].sort();
    return { members, identities, accounts, logins, emails, suppressedKeys, lockKeys };
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
    const { members, identities, accounts, logins, emails, suppressedKeys } = collected;

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

    await count('activities', `UPDATE activity SET identity_id = $2 WHERE identity_id = ANY($1::uuid[])`, [identityIds, erased.id]);
    await count(
      'activityFacts',
      `UPDATE activity a SET facts = jsonb_set(a.facts, '{merged_by}', jsonb_build_object('id', m.surrogate, 'login', NULL))
         FROM ${mapping} WHERE a.facts->'merged_by'->>'id' = m.id::text`,
      [accountIds, surrogateIds],
    );
    await count(
      'activityAuthorLogins',
      `UPDATE activity SET facts = facts || '{"author": null}' || CASE WHEN facts ? 'author_id' THEN '{"author_id": null}'::jsonb ELSE '{}' END
        WHERE facts->>'author_id' = ANY($2::text[]) OR (NOT facts ? 'author_id' AND lower(facts->>'author') = ANY($1::text[]))`,
      [logins, accountIds],
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
    await count(
      'webhookPayloads',
      `UPDATE webhook_delivery SET payload = '{"removed": "personal data deleted"}'::json
        WHERE status IN ('processed', 'ignored')
          AND ((cardinality($1::text[]) > 0 AND payload::text ~* ('"login"\\s*:\\s*"(' || array_to_string($1::text[], '|') || ')"'))
               OR EXISTS (SELECT 1 FROM unnest($2::text[]) AS e WHERE strpos(lower(payload::text), e) > 0))`,
      [logins.map(escapeRegex), emails],
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
