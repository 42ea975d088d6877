import type { EntityManager } from 'typeorm';
import type { MemberKind } from './member.entity.js';

/**
 * Login-only noreply addresses (`login@users.noreply.github.com`, GitHub's form before July 2017;
 * GitHub Docs, "Setting your commit email address") name a login, not an account id. Such an
 * address is an e-mail identity of its own (its key is the address), and the member it belongs to
 * is the member of the login's current holder — decided so that the order in which the address
 * and the account arrive changes nothing (issue 4, case I3 (b)):
 *
 * - the address created while an account holding the login is stored: the e-mail identity joins
 *   that account's member, marked inferred (`evidence: login`);
 * - the address created first: a member of its own; when the account holding the login is then
 *   first resolved, its GitHub identity joins that member instead of a new one, and the address
 *   is marked inferred. The result is the member the other order gives.
 *
 * Both sides run under the advisory lock of the address's identity key (the account's creation
 * takes it too, before its own: keys in sorted order, `email:` before `github:`), so the second one
 * always sees the first. A member an admin merged or unmerged is never joined this way, nor a member
 * holding anything else than the address; a login renamed onto an account already resolved is left
 * to the `noreply_login` merge suggestion (merge-suggestion.sql.ts), for logins are reused.
 */

const NOREPLY_DOMAIN = 'users.noreply.github.com';

/** The e-mail identity key of a login's login-only noreply address (lower-cased). */
export function noreplyAddressOf(login: string): string {
  return `${login.toLowerCase()}@${NOREPLY_DOMAIN}`;
}

/** The lock key ({@link identityKey} form) an account's creation takes for its login's address. */
export function noreplyLockKeyOf(login: string): string {
  return `email:${noreplyAddressOf(login)}`;
}

/**
 * The member of each login's current holder (`login_set_at DESC, id DESC`, as LOGIN_HOLDER_ORDER),
 * for the wanted logins (lower-cased), when that account is linked to a member of the wanted kind
 * that is neither merged away nor erased. Call under the addresses' locks.
 * @returns lower-cased login → member id.
 */
export async function noreplyLoginHolders(
  manager: Pick<EntityManager, 'query'>,
  wanted: ReadonlyArray<{ login: string; kind: MemberKind }>,
): Promise<Map<string, string>> {
  const holders = new Map<string, string>();
  if (wanted.length === 0) return holders;
  const rows: Array<{ login: string; member_id: string | null; kind: MemberKind | null; usable: boolean }> = await manager.query(
    `SELECT DISTINCT ON (lower(a.login)) lower(a.login) AS login, a.member_id, m.kind,
            (m.merged_into_id IS NULL AND m.erased_at IS NULL) AS usable
       FROM github_account a LEFT JOIN member m ON m.id = a.member_id
      WHERE lower(a.login) = ANY($1::text[])
      ORDER BY lower(a.login), a.login_set_at DESC, a.id DESC`,
    [[...new Set(wanted.map((entry) => entry.login.toLowerCase()))]],
  );
  const byLogin = new Map(rows.map((row) => [row.login, row]));
  for (const { login, kind } of wanted) {
    const row = byLogin.get(login.toLowerCase());
    if (row?.member_id && row.usable && row.kind === kind) holders.set(login.toLowerCase(), row.member_id);
  }
  return holders;
}

/** An account about to get its GitHub identity, as {@link adoptableNoreplyMembers} needs it. */
export interface NewAccount {
  id: number;
  login: string;
  kind: MemberKind;
  /** The login was seen first-hand (webhook, REST, API author): the account is its holder from now on. */
  firstHand: boolean;
}

/**
 * For accounts about to get their GitHub identity: the member of an e-mail identity for the
 * account's login-only noreply address that the account should join instead of a new member — the
 * address is that member's only identity, still uninferred (`evidence: self`), the member of the
 * same kind, never merged, unmerged or erased, and the account is the login's holder (seen
 * first-hand, or the only account with that login). Call under the addresses' locks.
 * @returns account id → the address's identity and member.
 */
export async function adoptableNoreplyMembers(
  manager: Pick<EntityManager, 'query'>,
  accounts: readonly NewAccount[],
): Promise<Map<number, { identityId: string; memberId: string }>> {
  const adoptable = new Map<number, { identityId: string; memberId: string }>();
  if (accounts.length === 0) return adoptable;
  const rows: Array<{ account_id: string; identity_id: string; member_id: string }> = await manager.query(
    `SELECT t.id AS account_id, i.id AS identity_id, i.member_id
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bool[]) AS t(id, address, kind, first_hand)
       JOIN identity i ON i.platform = 'email' AND i.key = t.address AND i.evidence = 'self'
       JOIN member m ON m.id = i.member_id AND m.kind = t.kind AND m.merged_into_id IS NULL AND m.erased_at IS NULL
      WHERE NOT EXISTS (SELECT 1 FROM identity o WHERE o.member_id = i.member_id AND o.id <> i.id)
        AND NOT EXISTS (SELECT 1 FROM member_merge mm WHERE mm.into_member_id = i.member_id OR mm.from_member_id = i.member_id)
        AND (t.first_hand OR NOT EXISTS (
              SELECT 1 FROM github_account o WHERE lower(o.login) = split_part(t.address, '@', 1) AND o.id <> t.id))`,
    [
      accounts.map((account) => account.id),
      accounts.map((account) => noreplyAddressOf(account.login)),
      accounts.map((account) => account.kind),
      accounts.map((account) => account.firstHand),
    ],
  );
  for (const row of rows) adoptable.set(Number(row.account_id), { identityId: row.identity_id, memberId: row.member_id });
  return adoptable;
}

/**
 * Records that accounts joined the members of their login-only noreply addresses: each address is
 * marked inferred (`evidence: login`) and its member shows the account's display name, as a member
 * created for the account would. The member's login follows the account (SYNC_MEMBER_LOGINS_SQL).
 */
export async function markNoreplyAdopted(
  manager: Pick<EntityManager, 'query'>,
  adopted: ReadonlyArray<{ identityId: string; memberId: string; displayName: string | null }>,
): Promise<void> {
  if (adopted.length === 0) return;
  await manager.query(`UPDATE identity SET evidence = 'login' WHERE id = ANY($1::uuid[])`, [adopted.map((entry) => entry.identityId)]);
  await manager.query(
    `UPDATE member m SET display_name = t.display_name, updated_at = now()
       FROM unnest($1::uuid[], $2::text[]) AS t(id, display_name) WHERE m.id = t.id`,
    [adopted.map((entry) => entry.memberId), adopted.map((entry) => entry.displayName)],
  );
}
