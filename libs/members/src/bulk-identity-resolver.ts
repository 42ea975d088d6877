import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isBotAccount, type GithubActor } from './account-kind.js';
import { findSuppressed } from './erasure/erasure-suppression.sql.js';
import { LOCKS_PER_TRANSACTION, recordLinkedEmails, recordNoreplyMismatches } from './identity-evidence.sql.js';
import { SYNC_MEMBER_LOGINS_SQL } from './identity-member-login.sql.js';
import { GITHUB_EVIDENCE_RANK, identityKey, identitySpecFor, STRENGTHEN_GITHUB_EVIDENCE_SQL, strengthensEvidence, type IdentitySpec } from './identity-spec.js';
import type { IdentityEvidence } from './identity.entity.js';
import { adoptableNoreplyMembers, markNoreplyAdopted, noreplyLockKeyOf, noreplyLoginHolders } from './noreply-login.js';
import type { ActorRef, ResolvedIdentity } from './identity.types.js';

/** Options of a {@link BulkIdentityResolver}. */
export interface BulkIdentityResolverOptions {
  /**
   * The actors come from history (GH Archive): a login or account type seen there may be years
   * old, so it never replaces a stored one (a rename seen later by the API or a webhook stays).
   * New accounts are still inserted with the login the history gives. Default false: the same
   * rule as {@link IdentityService} (a login seen first-hand replaces the stored one).
   */
  historicalLogins?: boolean;
  /** Resolved actors remembered between calls (per resolver instance); default 100,000. */
  cacheSize?: number;
}

type Spec = IdentitySpec;

/**
 * Set-based identity resolution for bulk imports (GH Archive backfill): the distinct actors of a
 * batch are resolved with a handful of statements (accounts upserted with `unnest`, identities
 * looked up and created in sets), instead of a few round trips per actor as
 * {@link IdentityService.resolve} does.
 *
 * The rules are IdentityService's, and the result is the same identity and member for the same
 * actor (checked by its spec):
 * - a GitHub account is keyed by its numeric id, never by login; a rename keeps the member;
 * - `ID+login@users.noreply.github.com` resolves to account ID; a login-only noreply address is
 *   an e-mail identity in the member of the login's holder (`evidence: login`), whichever of the
 *   two arrives first (noreply-login.ts);
 * - any other address is an e-mail identity keyed by the lower-cased address; names merge nobody;
 * - deleted accounts (`null`, the `ghost` placeholder) all map to the one deleted sentinel;
 * - an account or address of an erased member (`erasure_suppression`) maps to that anonymous
 *   member's `erased` identity, checked under the creation locks, and nothing about it is stored.
 * New identities are created under the same transaction-scoped advisory locks
 * (`hashtextextended('<platform>:<key>', 0)`, taken in key order), so a concurrent
 * IdentityService or resolver never creates a second member for one account.
 */
export class BulkIdentityResolver {
  private readonly cache = new Map<string, ResolvedIdentity | null>();
  private readonly cacheSize: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: BulkIdentityResolverOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 100_000;
  }

  /**
   * Resolves each actor.
   * @returns one entry per input, in order; `null` when the actor names nobody (a commit author
   *   with neither a linked account nor an e-mail address).
   */
  async resolveMany(actors: ActorRef[]): Promise<Array<ResolvedIdentity | null>> {
    const keys = actors.map((actor) => JSON.stringify(actor));
    const pending = new Map<string, ActorRef>();
    keys.forEach((key, index) => {
      if (!this.cache.has(key)) pending.set(key, actors[index]);
    });
    if (pending.size > 0) {
      const resolved = await this.resolveDistinct([...pending.values()]);
      if (this.cache.size + pending.size > this.cacheSize) this.cache.clear();
      [...pending.keys()].forEach((key, index) => this.cache.set(key, resolved[index]));
    }
    return keys.map((key) => this.cache.get(key) ?? null);
  }

  private async resolveDistinct(actors: ActorRef[]): Promise<Array<ResolvedIdentity | null>> {
    const specs = actors.map((actor) => identitySpecFor(actor));
    const present = specs.filter((spec): spec is Spec => spec !== null);
    if (present.length === 0) return specs.map(() => null);
    const storedEvidence = new Map<string, IdentityEvidence>();
    const found = await this.findIdentities(this.dataSource.manager, present, storedEvidence);
    // accounts of known identities: refreshed, and linked to the identity's member when unlinked
    const known = present.filter((spec) => found.has(identityKey(spec)));
    const touched = await this.upsertAccounts(this.dataSource.manager, known, found);
    // one spec per new identity: of a GitHub account seen several ways in the batch, the strongest
    // evidence (GITHUB_EVIDENCE_RANK), whichever came first
    // (in the place of its first occurrence: batch order decides other things, noreply-login.ts)
    const strongestNew = new Map<string, Spec>();
    for (const spec of present.filter((item) => !found.has(identityKey(item)))) {
      const held = strongestNew.get(identityKey(spec));
      if (!held || GITHUB_EVIDENCE_RANK.indexOf(spec.evidence) > GITHUB_EVIDENCE_RANK.indexOf(held.evidence)) strongestNew.set(identityKey(spec), spec);
    }
    const missing = [...strongestNew.values()];
    // new identities under advisory locks, a bounded number per transaction (each lock takes a
    // slot of the shared lock table: max_locks_per_transaction × max_connections)
    for (let start = 0; start < missing.length; start += LOCKS_PER_TRANSACTION) {
      const chunk = missing.slice(start, start + LOCKS_PER_TRANSACTION);
      await this.dataSource.transaction(async (manager) => {
        // a new account may join the member of its login's noreply address: that address's lock too (noreply-login.ts)
        const lockKeys = chunk.map(identityKey);
        for (const spec of chunk) if (spec.platform === 'github' && spec.account) lockKeys.push(noreplyLockKeyOf(spec.account.login));
        const sortedKeys = [...new Set(lockKeys)].sort();
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`, [sortedKeys]);
        const raced = await this.findIdentities(manager, chunk, storedEvidence);
        // accounts and addresses of erased members: their anonymous member, nothing stored
        const erased = await findSuppressed(manager, chunk.filter((spec) => !raced.has(identityKey(spec))).map(identityKey));
        for (const [key, value] of erased) found.set(key, { ...value, erased: true });
        const kept = chunk.filter((spec) => !erased.has(identityKey(spec)));
        const toCreate = kept.filter((spec) => !raced.has(identityKey(spec)));
        const { members, evidence } = await this.membersForNewIdentities(manager, toCreate);
        for (const [key, memberId] of members) raced.set(key, { identityId: '', memberId });
        // accounts before the identities that reference them, linked to their member at insert
        touched.push(...(await this.upsertAccounts(manager, kept, raced)));
        for (const [key, value] of await this.insertIdentities(manager, toCreate, members, evidence)) raced.set(key, value);
        for (const [key, value] of raced) found.set(key, value);
      });
    }
    await this.strengthenEvidence(present, storedEvidence);
    await this.syncMemberLogins(touched);
    await this.recordEvidence(
      present.filter((spec) => !found.get(identityKey(spec))?.erased),
      found,
    );
    return specs.map((spec) => (spec ? (found.get(identityKey(spec)) ?? null) : null));
  }

  /**
   * The member of each new identity (by identity key), under the chunk's locks, by IdentityService's
   * rules (noreply-login.ts): a login-only noreply address joins its login's holder — a stored
   * one, or a new account of the same chunk seen first-hand or holding a login nobody else holds —
   * marked inferred (`evidence` says so); a new account joins the member of its login's adoptable
   * noreply address; every other identity gets a new member.
   */
  private async membersForNewIdentities(
    manager: EntityManager,
    specs: Spec[],
  ): Promise<{ members: Map<string, string>; evidence: Map<string, IdentityEvidence> }> {
    const members = new Map<string, string>();
    const evidence = new Map<string, IdentityEvidence>();
    const addresses = specs.filter((spec) => spec.noreplyLogin);
    const accounts = specs.filter((spec) => spec.platform === 'github' && spec.account);
    const firstHand = (spec: Spec) => !this.options.historicalLogins && (spec.evidence === 'self' || spec.evidence === 'api');
    const newAccountOf = new Map<string, Spec>();
    for (const spec of accounts) {
      const login = spec.account!.login.toLowerCase();
      const other = newAccountOf.get(login);
      if (!other || (firstHand(spec) && !firstHand(other))) newAccountOf.set(login, spec);
    }
    const stored = await noreplyLoginHolders(
      manager,
      addresses.map((spec) => ({ login: spec.noreplyLogin!, kind: spec.memberKind })),
    );
    // addresses whose holder is a new account of this chunk: they share its member, created below
    const sharing = new Map<string, string>();
    for (const spec of addresses) {
      const account = newAccountOf.get(spec.noreplyLogin!);
      if (account && account.memberKind === spec.memberKind && (firstHand(account) || !stored.has(spec.noreplyLogin!))) {
        sharing.set(identityKey(spec), identityKey(account));
        evidence.set(identityKey(spec), 'login');
      } else if (stored.has(spec.noreplyLogin!)) {
        members.set(identityKey(spec), stored.get(spec.noreplyLogin!)!);
        evidence.set(identityKey(spec), 'login');
      }
    }
    // one account per login may adopt its address's member (serial resolution adopts once: the
    // address is inferred afterwards); the one the chunk's addresses would share, first-hand first
    const adopters = accounts.filter((spec) => newAccountOf.get(spec.account!.login.toLowerCase()) === spec);
    const adoptable = await adoptableNoreplyMembers(
      manager,
      adopters.map((spec) => ({ id: spec.account!.id, login: spec.account!.login, kind: spec.memberKind, firstHand: firstHand(spec) })),
    );
    const adopted: Array<{ identityId: string; memberId: string; displayName: string | null }> = [];
    for (const spec of adopters) {
      const adopt = adoptable.get(spec.account!.id);
      if (!adopt) continue;
      members.set(identityKey(spec), adopt.memberId);
      adopted.push({ ...adopt, displayName: spec.displayName ?? spec.account!.login });
    }
    await markNoreplyAdopted(manager, adopted);
    const created = await this.createMembers(
      manager,
      specs.filter((spec) => !members.has(identityKey(spec)) && !sharing.has(identityKey(spec))),
    );
    for (const [key, memberId] of created) members.set(key, memberId);
    for (const [key, accountKey] of sharing) members.set(key, members.get(accountKey)!);
    return { members, evidence };
  }

  /**
   * IdentityService.upsertAccount and linkAccount for a set of accounts (an authoritative
   * sighting of an id beats an inferred one; otherwise the last wins): a login seen first-hand
   * replaces the stored one (unless the resolver's logins are historical), and an unlinked account
   * is linked to `members`' member of its identity.
   * @returns the ids of accounts inserted or changed (their member's login may need syncing).
   */
  private async upsertAccounts(manager: EntityManager, specs: Spec[], members: Map<string, ResolvedIdentity>): Promise<number[]> {
    const byId = new Map<number, { account: GithubActor; authoritative: boolean; memberId: string | null }>();
    for (const spec of specs) {
      if (!spec.account) continue;
      const authoritative = !this.options.historicalLogins && (spec.evidence === 'self' || spec.evidence === 'api');
      const previous = byId.get(spec.account.id);
      if (previous?.authoritative && !authoritative) continue;
      byId.set(spec.account.id, { account: spec.account, authoritative, memberId: members.get(identityKey(spec))?.memberId ?? null });
    }
    const touched: number[] = [];
    for (const authoritative of [true, false]) {
      const rows = [...byId.values()].filter((row) => row.authoritative === authoritative);
      if (rows.length === 0) continue;
      const changed: Array<{ id: string }> = await manager.query(
        `INSERT INTO github_account (id, login, type, name, avatar_url, member_id, login_set_at)
         SELECT *, CASE WHEN $6 THEN now() ELSE '-infinity'::timestamptz END
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $7::uuid[]) ORDER BY 1
         ON CONFLICT (id) DO UPDATE SET
           login = CASE WHEN $6 THEN EXCLUDED.login ELSE github_account.login END,
           login_set_at = CASE WHEN $6 AND (github_account.login <> EXCLUDED.login OR github_account.login_set_at = '-infinity')
                               THEN now() ELSE github_account.login_set_at END,
           type = CASE WHEN $6 THEN EXCLUDED.type ELSE github_account.type END,
           name = COALESCE(EXCLUDED.name, github_account.name),
           avatar_url = COALESCE(EXCLUDED.avatar_url, github_account.avatar_url),
           member_id = COALESCE(github_account.member_id, EXCLUDED.member_id),
           updated_at = now()
         WHERE ($6 AND (github_account.login <> EXCLUDED.login OR github_account.type <> EXCLUDED.type
                        OR github_account.login_set_at = '-infinity'))
            OR (EXCLUDED.name IS NOT NULL AND github_account.name IS DISTINCT FROM EXCLUDED.name)
            OR (EXCLUDED.avatar_url IS NOT NULL AND github_account.avatar_url IS DISTINCT FROM EXCLUDED.avatar_url)
            OR (github_account.member_id IS NULL AND EXCLUDED.member_id IS NOT NULL)
         RETURNING id`,
        [
          rows.map(({ account }) => account.id),
          rows.map(({ account }) => account.login),
          rows.map(({ account }) => account.type ?? (isBotAccount(account) ? 'Bot' : 'User')),
          rows.map(({ account }) => account.name ?? null),
          rows.map(({ account }) => account.avatar_url ?? null),
          authoritative,
          rows.map(({ memberId }) => memberId),
        ],
      );
      touched.push(...changed.map((row) => Number(row.id)));
    }
    return touched;
  }

  /** Stored identities of `specs` by identity key; their evidence goes into `evidence`. */
  private async findIdentities(manager: EntityManager, specs: Spec[], evidence: Map<string, IdentityEvidence>): Promise<Map<string, ResolvedIdentity>> {
    const unique = uniqueBy(specs, identityKey);
    const rows: Array<{ id: string; member_id: string; platform: string; key: string; evidence: IdentityEvidence }> = await manager.query(
      `SELECT i.id, i.member_id, i.platform, i.key, i.evidence FROM identity i
       JOIN unnest($1::text[], $2::text[]) AS t(platform, key) ON i.platform = t.platform AND i.key = t.key`,
      [unique.map((spec) => spec.platform), unique.map((spec) => spec.key)],
    );
    for (const row of rows) evidence.set(`${row.platform}:${row.key}`, row.evidence);
    return new Map(rows.map((row) => [`${row.platform}:${row.key}`, { identityId: row.id, memberId: row.member_id }]));
  }

  /**
   * Stored GitHub identities among `specs` seen now with stronger evidence than `stored` says take it
   * (GITHUB_EVIDENCE_RANK): the strongest of a batch per account, one statement.
   */
  private async strengthenEvidence(specs: Spec[], stored: Map<string, IdentityEvidence>): Promise<void> {
    const strongest = new Map<string, Spec>();
    for (const spec of specs) {
      if (!strengthensEvidence(spec, stored.get(identityKey(spec)))) continue;
      const held = strongest.get(spec.key);
      if (!held || GITHUB_EVIDENCE_RANK.indexOf(spec.evidence) > GITHUB_EVIDENCE_RANK.indexOf(held.evidence)) strongest.set(spec.key, spec);
    }
    if (strongest.size === 0) return;
    const raised = [...strongest.values()];
    await this.dataSource.query(STRENGTHEN_GITHUB_EVIDENCE_SQL, [raised.map((spec) => spec.key), raised.map((spec) => spec.evidence)]);
  }

  /** One new member per spec (the deleted sentinel is shared), by identity key. Call under the locks. */
  private async createMembers(manager: EntityManager, specs: Spec[]): Promise<Map<string, string>> {
    const created = new Map<string, string>();
    const people = specs.filter((spec) => spec.platform !== 'deleted');
    const memberIds: string[] = people.map(() => randomUUID());
    if (people.length > 0) {
      await manager.query(
        `INSERT INTO member (id, kind, display_name, login) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
        [
          memberIds,
          people.map((spec) => spec.memberKind),
          people.map((spec) => spec.displayName ?? spec.account?.login ?? null),
          people.map((spec) => spec.account?.login ?? null),
        ],
      );
    }
    people.forEach((spec, index) => created.set(identityKey(spec), memberIds[index]));
    const deleted = specs.find((spec) => spec.platform === 'deleted');
    if (deleted) {
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO member (kind, display_name, login) VALUES ('deleted', 'Deleted user', 'ghost')
         ON CONFLICT (kind) WHERE kind = 'deleted' DO UPDATE SET updated_at = member.updated_at RETURNING id`,
      );
      created.set(identityKey(deleted), row.id);
    }
    return created;
  }

  /** One identity per spec, of the member `members` gives it, with `evidence`'s when it has one. Call under the locks. */
  private async insertIdentities(
    manager: EntityManager,
    specs: Spec[],
    members: Map<string, string>,
    evidence: Map<string, IdentityEvidence>,
  ): Promise<Map<string, ResolvedIdentity>> {
    const created = new Map<string, ResolvedIdentity>();
    if (specs.length === 0) return created;
    const identityIds: string[] = specs.map(() => randomUUID());
    await manager.query(
      `INSERT INTO identity (id, member_id, platform, key, github_account_id, display_name, evidence)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[])`,
      [
        identityIds,
        specs.map((spec) => members.get(identityKey(spec))),
        specs.map((spec) => spec.platform),
        specs.map((spec) => spec.key),
        specs.map((spec) => spec.account?.id ?? null),
        specs.map((spec) => spec.displayName),
        specs.map((spec) => evidence.get(identityKey(spec)) ?? spec.evidence),
      ],
    );
    specs.forEach((spec, index) => created.set(identityKey(spec), { identityId: identityIds[index], memberId: members.get(identityKey(spec))! }));
    return created;
  }

  /** The member shows its account's current login (renames keep the member), for changed accounts ({@link SYNC_MEMBER_LOGINS_SQL}). */
  private async syncMemberLogins(accountIds: number[]): Promise<void> {
    if (accountIds.length === 0) return;
    await this.dataSource.query(SYNC_MEMBER_LOGINS_SQL, [[...new Set(accountIds)]]);
  }

  /**
   * IdentityService.resolve's evidence: addresses the API linked to an account (an e-mail identity
   * of its member when new, and an `api_link` row) and flagged noreply id mismatches.
   */
  private async recordEvidence(specs: Spec[], found: Map<string, ResolvedIdentity>): Promise<void> {
    const linked = uniqueBy(
      specs.filter((spec) => spec.linkedEmail && found.has(identityKey(spec))),
      (spec) => `${spec.linkedEmail!.email} ${spec.key}`,
    );
    await recordLinkedEmails(
      this.dataSource,
      linked.map((spec) => ({
        memberId: found.get(identityKey(spec))!.memberId,
        ...spec.linkedEmail!,
        accountId: spec.account!.id,
        login: spec.account!.login,
      })),
    );
    const flagged = uniqueBy(
      specs.filter((spec) => spec.noreplyMismatch && found.has(identityKey(spec))),
      (spec) => `${spec.noreplyMismatch!.address} ${spec.key}`,
    );
    await recordNoreplyMismatches(
      this.dataSource,
      flagged.map((spec) => ({ identityId: found.get(identityKey(spec))!.identityId, mismatch: spec.noreplyMismatch! })),
    );
  }
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
