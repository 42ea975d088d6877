import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isBotAccount, type GithubActor } from './account-kind.js';
import { findSuppressed } from './erasure/erasure-suppression.sql.js';
import { recordLinkedEmails, recordNoreplyMismatches } from './identity-evidence.sql.js';
import { SYNC_MEMBER_LOGINS_SQL } from './identity-member-login.sql.js';
import { IdentityException, IdentityExceptionCode } from './identity.exception.js';
import type { IdentityEvidence } from './identity.entity.js';
import { commitAddress, identityKey, identitySpecFor, STRENGTHEN_GITHUB_EVIDENCE_SQL, strengthensEvidence, type IdentitySpec } from './identity-spec.js';
import { adoptableNoreplyMembers, markNoreplyAdopted, noreplyLockKeyOf, noreplyLoginHolders } from './noreply-login.js';
import type { ActorRef, LoginHolder, ResolvedIdentity } from './identity.types.js';

/**
 * Logins GitHub can have issued: letters, digits and hyphens, at most 39 characters, not starting
 * with a hyphen (older accounts may hold double or trailing hyphens); Apps' bots end in `[bot]`.
 */
const GITHUB_LOGIN = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}(?:\[bot\])?$/;

/**
 * SQL ordering the accounts that hold one login, current holder first: the login seen first-hand
 * most recently (`login_set_at`; inferred logins are `-infinity`), ties to the newer account.
 */
export const LOGIN_HOLDER_ORDER = 'login_set_at DESC, id DESC';

/**
 * Resolves the people behind activity into identities and members.
 *
 * Rules (DESIGN.md, shared/cases/identity.md):
 * - a GitHub account is keyed by its numeric id; a rename updates the login and keeps the member;
 * - a commit's API author id wins over its e-mail; an `ID+login@users.noreply.github.com`
 *   address resolves to account ID (the login in it may be stale); a login-only noreply address
 *   is an e-mail identity in the member of the login's current holder, found by a case-insensitive
 *   login lookup and marked inferred (`evidence: login`), whichever of the two arrives first
 *   (noreply-login.ts);
 * - any other address is its own e-mail identity: names never merge anyone;
 * - deleted accounts (`user: null`, the `ghost` sender) all map to one sentinel member;
 * - bots (type Bot, `[bot]`, the maintained list in account-kind-bots.ts) are members of kind `bot`,
 *   one identity each across sources;
 * - an account or address of an erased member (`erasure_suppression`, keyed hashes only) resolves
 *   to that anonymous member's `erased` identity, and its login, name, avatar or address is not
 *   stored (README "Your data: export and deletion");
 * - logins compare case-insensitively; a login held by two stored accounts (one renamed away
 *   unseen, one that took it) belongs to its current holder ({@link LOGIN_HOLDER_ORDER}).
 * Evidence found on the way is recorded (identity_evidence): addresses the API linked to an account
 * (`api_link`) and noreply addresses whose id disagrees with the API's author (a flag, never merged).
 *
 * Safe under concurrency: each new identity is created under a transaction-scoped advisory
 * lock on its key, so two workers never create two members for one account.
 */
@Injectable()
export class IdentityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Resolves each actor, sharing work between equal actors of one batch. Actors that name the
   * same identity (an account seen as itself and through a noreply address, say) are resolved
   * one after another in batch order, so the first one creates it (with its evidence) whatever
   * the timing; the rest run concurrently.
   * @returns one entry per input, in order; `null` when the actor names nobody (a commit
   *   with neither a linked account nor an e-mail address).
   */
  async resolveMany(actors: ActorRef[]): Promise<Array<ResolvedIdentity | null>> {
    const unique = new Map<string, ActorRef>();
    for (const actor of actors) {
      const cacheKey = JSON.stringify(actor);
      if (!unique.has(cacheKey)) unique.set(cacheKey, actor);
    }
    const entries = [...unique];
    const specs = await Promise.all(entries.map(([, actor]) => this.specFor(actor)));
    // the tail of each identity's chain: the next actor naming it starts after the previous one
    const chains = new Map<string, Promise<unknown>>();
    const results = new Map<string, Promise<ResolvedIdentity | null>>();
    entries.forEach(([cacheKey], index) => {
      const spec = specs[index];
      if (!spec) {
        results.set(cacheKey, Promise.resolve(null));
        return;
      }
      const key = identityKey(spec);
      const pending = (chains.get(key) ?? Promise.resolve()).then(() => this.resolveSpec(spec));
      chains.set(key, pending.catch(() => undefined));
      results.set(cacheKey, pending);
    });
    return Promise.all(actors.map((actor) => results.get(JSON.stringify(actor))!));
  }

  /** Resolves one actor; see the class comment for the rules. */
  async resolve(actor: ActorRef): Promise<ResolvedIdentity | null> {
    const spec = await this.specFor(actor);
    return spec ? this.resolveSpec(spec) : null;
  }

  /** The identity (created if new) of an actor whose spec is known, and its evidence rows. */
  private async resolveSpec(spec: IdentitySpec): Promise<ResolvedIdentity> {
    const resolved = await this.ensureIdentity(spec);
    if (resolved.erased) return resolved;
    if (spec.linkedEmail && spec.account) {
      await recordLinkedEmails(this.dataSource, [
        { memberId: resolved.memberId, ...spec.linkedEmail, accountId: spec.account.id, login: spec.account.login },
      ]);
    }
    if (spec.noreplyMismatch) {
      await recordNoreplyMismatches(this.dataSource, [{ identityId: resolved.identityId, mismatch: spec.noreplyMismatch }]);
    }
    return resolved;
  }

  /**
   * The member of the GitHub account that currently holds a login, compared case-insensitively
   * (e.g. a hackathon registration naming `Oak-River`; case I2). Two stored accounts can hold one
   * login when GitHub let a new account take a renamed one's login before Cambrian saw the rename:
   * the holder is the account whose login was seen first-hand most recently.
   * @param login a GitHub login, optionally prefixed with `@` and surrounded by spaces.
   * @returns the holder, or null when no stored account holds the login.
   * @throws IdentityException BAD_USER_INPUT for a string GitHub could not have issued as a login.
   */
  async resolveLogin(login: string): Promise<LoginHolder | null> {
    const wanted = login.trim().replace(/^@/, '');
    if (!GITHUB_LOGIN.test(wanted)) {
      throw new IdentityException(
        `"${login}" is not a GitHub login (letters, digits and hyphens, 1–39 characters, not starting with a hyphen)`,
        IdentityExceptionCode.BAD_USER_INPUT,
      );
    }
    const rows: Array<{ id: string; login: string; member_id: string | null }> = await this.dataSource.query(
      `SELECT id, login, member_id FROM github_account WHERE lower(login) = lower($1) ORDER BY ${LOGIN_HOLDER_ORDER} LIMIT 1`,
      [wanted],
    );
    return rows.length ? { githubAccountId: Number(rows[0].id), login: rows[0].login, memberId: rows[0].member_id } : null;
  }

  /**
   * Records that an address is a verified e-mail of a GitHub account (its public profile address,
   * which GitHub shows only once verified, or an address the person confirmed to Cambrian): a new
   * address becomes an e-mail identity of the account's member; every address gets a
   * `verified_email` evidence row, so that an address already known as another member's identity
   * is merged by the merge sweep (conclusive evidence; case I4).
   * @throws IdentityException BAD_USER_INPUT for something that is not an address (see
   *   {@link commitAddress}: no `@`, spaces, over 254 characters); NOT_FOUND for
   *   an account Cambrian has not resolved to a member.
   */
  async recordVerifiedEmail(githubAccountId: number, email: string, source: string): Promise<ResolvedIdentity> {
    const key = commitAddress(email);
    if (!key) {
      throw new IdentityException(`"${email}" is not an e-mail address`, IdentityExceptionCode.BAD_USER_INPUT);
    }
    const [account]: Array<{ member_id: string | null; login: string }> = await this.dataSource.query(
      `SELECT member_id, login FROM github_account WHERE id = $1`,
      [githubAccountId],
    );
    if (!account?.member_id) {
      throw new IdentityException(`GitHub account ${githubAccountId} is not resolved to a member`, IdentityExceptionCode.NOT_FOUND);
    }
    // under the key's lock, as the resolvers create identities (a concurrent creation is found, not duplicated)
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [identityKey({ platform: 'email', key })]);
      const erased = (await findSuppressed(manager, [identityKey({ platform: 'email', key })])).get(identityKey({ platform: 'email', key }));
      if (erased) return { ...erased, erased: true };
      const [row]: Array<{ id: string; member_id: string }> = await manager.query(
        `WITH inserted AS (
           INSERT INTO identity (member_id, platform, key, evidence) VALUES ($1, 'email', $2, 'api')
           ON CONFLICT (platform, key) DO NOTHING RETURNING id, member_id
         )
         SELECT id, member_id FROM inserted UNION ALL SELECT id, member_id FROM identity WHERE platform = 'email' AND key = $2
         LIMIT 1`,
        [account.member_id, key],
      );
      await manager.query(
        `INSERT INTO identity_evidence (identity_id, kind, subject, detail) VALUES ($1, 'verified_email', $2, $3)
         ON CONFLICT (identity_id, kind, subject) DO NOTHING`,
        [row.id, String(githubAccountId), JSON.stringify({ login: account.login, source })],
      );
      return { identityId: row.id, memberId: row.member_id };
    });
  }

  private async specFor(actor: ActorRef): Promise<IdentitySpec | null> {
    return identitySpecFor(actor);
  }

  private async ensureIdentity(spec: IdentitySpec): Promise<ResolvedIdentity> {
    const known = spec.account ? await this.findSettledAccountIdentity(spec, spec.account) : await this.findIdentity(this.dataSource.manager, spec);
    const found: ResolvedIdentity | null = known && { identityId: known.identityId, memberId: known.memberId };
    if (known && strengthensEvidence(spec, known.evidence)) {
      await this.dataSource.query(STRENGTHEN_GITHUB_EVIDENCE_SQL, [[spec.key], [spec.evidence]]);
    }
    if (found && (!spec.account || (known as { settled?: boolean }).settled)) return found;
    return this.dataSource.transaction(async (manager) => {
      // a new account may join the member of its login's noreply address (noreply-login.ts): that
      // address's lock too, keys in sorted order as the bulk resolver takes them
      const lockKeys = [identityKey(spec)];
      if (!found && spec.platform === 'github' && spec.account) lockKeys.push(noreplyLockKeyOf(spec.account.login));
      for (const lockKey of [...new Set(lockKeys)].sort()) {
        await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [lockKey]);
      }
      const raced = found ? null : await this.findIdentity(manager, spec);
      if (raced && strengthensEvidence(spec, raced.evidence)) {
        await manager.query(STRENGTHEN_GITHUB_EVIDENCE_SQL, [[spec.key], [spec.evidence]]);
      }
      const existing: ResolvedIdentity | null = found ?? (raced && { identityId: raced.identityId, memberId: raced.memberId });
      if (!existing) {
        // an erased member's account or address: credited to the anonymous member, nothing stored
        const erased = (await findSuppressed(manager, [identityKey(spec)])).get(identityKey(spec));
        if (erased) return { ...erased, erased: true };
      }
      if (existing) {
        if (spec.account) await this.upsertAccount(manager, spec.account, spec.evidence);
        if (spec.account) await this.linkAccount(manager, spec.account.id, existing.memberId);
        return existing;
      }
      const { memberId, evidence } = await this.memberForNewIdentity(manager, spec);
      if (spec.account) await this.upsertAccount(manager, spec.account, spec.evidence);
      const [identity]: Array<{ id: string }> = await manager.query(
        `INSERT INTO identity (member_id, platform, key, github_account_id, display_name, evidence)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [memberId, spec.platform, spec.key, spec.account?.id ?? null, spec.displayName, evidence],
      );
      if (spec.account) await this.linkAccount(manager, spec.account.id, memberId);
      return { identityId: identity.id, memberId };
    });
  }

  /**
   * The member a new identity belongs to, under its locks: a login-only noreply address joins
   * its login's holder (inferred), a new account the member of its login's noreply address when
   * that is adoptable (noreply-login.ts), anything else a new member.
   */
  private async memberForNewIdentity(manager: EntityManager, spec: IdentitySpec): Promise<{ memberId: string; evidence: IdentitySpec['evidence'] }> {
    if (spec.noreplyLogin) {
      const holder = (await noreplyLoginHolders(manager, [{ login: spec.noreplyLogin, kind: spec.memberKind }])).get(spec.noreplyLogin);
      if (holder) return { memberId: holder, evidence: 'login' };
    } else if (spec.platform === 'github' && spec.account) {
      const account = spec.account;
      const [adopt] = (
        await adoptableNoreplyMembers(manager, [
          { id: account.id, login: account.login, kind: spec.memberKind, firstHand: spec.evidence === 'self' || spec.evidence === 'api' },
        ])
      ).values();
      if (adopt) {
        await markNoreplyAdopted(manager, [{ ...adopt, displayName: spec.displayName ?? account.login }]);
        return { memberId: adopt.memberId, evidence: spec.evidence };
      }
    }
    return { memberId: await this.createMember(manager, spec), evidence: spec.evidence };
  }

  /**
   * The identity of a GitHub account, and whether the account needs no write: its row already holds
   * what {@link upsertAccount} would store (login and type when the evidence is first-hand, name
   * and avatar when given), is linked to a member, and that member shows its login — so the
   * transaction {@link ensureIdentity} would run (lock, upsert, link, login sync) changes nothing
   * and is skipped. The same conditions as those statements' own, read in one SELECT: a known
   * commenter costs one statement instead of seven.
   */
  private async findSettledAccountIdentity(
    spec: IdentitySpec,
    account: GithubActor,
  ): Promise<(ResolvedIdentity & { settled: boolean; evidence: IdentityEvidence }) | null> {
    const authoritative = spec.evidence === 'self' || spec.evidence === 'api';
    const type = account.type ?? (isBotAccount(account) ? 'Bot' : 'User');
    const rows: Array<{ id: string; member_id: string; settled: boolean; evidence: IdentityEvidence }> = await this.dataSource.query(
      `SELECT i.id, i.member_id, i.evidence,
              coalesce(ga.member_id IS NOT NULL
                AND NOT ($4 AND (ga.login <> $5 OR ga.type <> $6 OR ga.login_set_at = '-infinity'))
                AND NOT ($7::text IS NOT NULL AND ga.name IS DISTINCT FROM $7::text)
                AND NOT ($8::text IS NOT NULL AND ga.avatar_url IS DISTINCT FROM $8::text)
                AND m.login = ga.login, false) AS settled
         FROM identity i
         LEFT JOIN github_account ga ON ga.id = $3
         LEFT JOIN member m ON m.id = ga.member_id
        WHERE i.platform = $1 AND i.key = $2`,
      [spec.platform, spec.key, account.id, authoritative, account.login, type, account.name ?? null, account.avatar_url ?? null],
    );
    return rows.length ? { identityId: rows[0].id, memberId: rows[0].member_id, settled: rows[0].settled, evidence: rows[0].evidence } : null;
  }

  private async findIdentity(manager: EntityManager, spec: IdentitySpec): Promise<(ResolvedIdentity & { evidence: IdentityEvidence }) | null> {
    const rows: Array<{ id: string; member_id: string; evidence: IdentityEvidence }> = await manager.query(
      `SELECT id, member_id, evidence FROM identity WHERE platform = $1 AND key = $2`,
      [spec.platform, spec.key],
    );
    return rows.length ? { identityId: rows[0].id, memberId: rows[0].member_id, evidence: rows[0].evidence } : null;
  }

  private async createMember(manager: EntityManager, spec: IdentitySpec): Promise<string> {
    const kind = spec.memberKind;
    if (kind === 'deleted') {
      const [row]: Array<{ id: string }> = await manager.query(
        `INSERT INTO member (kind, display_name, login) VALUES ('deleted', 'Deleted user', 'ghost')
         ON CONFLICT (kind) WHERE kind = 'deleted' DO UPDATE SET updated_at = member.updated_at RETURNING id`,
      );
      return row.id;
    }
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO member (kind, display_name, login) VALUES ($1, $2, $3) RETURNING id`,
      [kind, spec.displayName ?? spec.account?.login ?? null, spec.account?.login ?? null],
    );
    return row.id;
  }

  /**
   * Inserts or refreshes a GitHub account. A login seen through an authoritative source
   * (`self`, `api`) replaces the stored one (a rename) and stamps `login_set_at`; a login parsed
   * from a noreply address or a lookup never overwrites, since it can be stale, and a new account
   * inserted with one gets `login_set_at = -infinity` (never the current holder over a login seen
   * first-hand).
   */
  private async upsertAccount(manager: EntityManager, account: GithubActor, evidence: IdentityEvidence) {
    const authoritative = evidence === 'self' || evidence === 'api';
    const type = account.type ?? (isBotAccount(account) ? 'Bot' : 'User');
    await manager.query(
      `INSERT INTO github_account (id, login, type, name, avatar_url, login_set_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6 THEN now() ELSE '-infinity'::timestamptz END)
       ON CONFLICT (id) DO UPDATE SET
         login = CASE WHEN $6 THEN EXCLUDED.login ELSE github_account.login END,
         login_set_at = CASE WHEN $6 AND (github_account.login <> EXCLUDED.login OR github_account.login_set_at = '-infinity')
                             THEN now() ELSE github_account.login_set_at END,
         type = CASE WHEN $6 THEN EXCLUDED.type ELSE github_account.type END,
         name = COALESCE(EXCLUDED.name, github_account.name),
         avatar_url = COALESCE(EXCLUDED.avatar_url, github_account.avatar_url),
         updated_at = now()
       WHERE ($6 AND (github_account.login <> EXCLUDED.login OR github_account.type <> EXCLUDED.type
                      OR github_account.login_set_at = '-infinity'))
          OR (EXCLUDED.name IS NOT NULL AND github_account.name IS DISTINCT FROM EXCLUDED.name)
          OR (EXCLUDED.avatar_url IS NOT NULL AND github_account.avatar_url IS DISTINCT FROM EXCLUDED.avatar_url)`,
      [account.id, account.login, type, account.name ?? null, account.avatar_url ?? null, authoritative],
    );
  }

  private async linkAccount(manager: EntityManager, accountId: number, memberId: string) {
    await manager.query(`UPDATE github_account SET member_id = $2 WHERE id = $1 AND member_id IS NULL`, [
      accountId,
      memberId,
    ]);
    // the member shows the account's current login (renames keep the member; a merged account does not rename it)
    await manager.query(SYNC_MEMBER_LOGINS_SQL, [[accountId]]);
  }
}
