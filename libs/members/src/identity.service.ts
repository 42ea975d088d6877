import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { isBotAccount, isDeletedAccount, type GithubActor } from './account-kind.js';
import type { IdentityEvidence } from './identity.entity.js';
import type { ActorRef, ResolvedIdentity } from './identity.types.js';
import type { MemberKind } from './member.entity.js';
import { parseNoreplyEmail } from './parse-noreply-email.js';

interface IdentitySpec {
  platform: 'github' | 'email' | 'deleted';
  key: string;
  displayName: string | null;
  evidence: IdentityEvidence;
  account: GithubActor | null;
}

/**
 * Resolves the people behind activity into identities and members.
 *
 * Rules (DESIGN.md, shared/cases/identity.md):
 * - a GitHub account is keyed by its numeric id; a rename updates the login and keeps the member;
 * - a commit's API author id wins over its e-mail; an `ID+login@users.noreply.github.com`
 *   address resolves to account ID (the login in it may be stale); a login-only noreply address
 *   resolves through a case-insensitive login lookup and is marked inferred (`evidence: login`);
 * - any other address is its own e-mail identity: names never merge anyone;
 * - deleted accounts (`user: null`, the `ghost` sender) all map to one sentinel member.
 *
 * Safe under concurrency: each new identity is created under a transaction-scoped advisory
 * lock on its key, so two workers never create two members for one account.
 */
@Injectable()
export class IdentityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Resolves each actor, sharing work between equal actors of one batch.
   * @returns one entry per input, in order; `null` when the actor names nobody (a commit
   *   with neither a linked account nor an e-mail address).
   */
  async resolveMany(actors: ActorRef[]): Promise<Array<ResolvedIdentity | null>> {
    const cache = new Map<string, Promise<ResolvedIdentity | null>>();
    return Promise.all(
      actors.map((actor) => {
        const cacheKey = JSON.stringify(actor);
        let pending = cache.get(cacheKey);
        if (!pending) {
          pending = this.resolve(actor);
          cache.set(cacheKey, pending);
        }
        return pending;
      }),
    );
  }

  /** Resolves one actor; see the class comment for the rules. */
  async resolve(actor: ActorRef): Promise<ResolvedIdentity | null> {
    const spec = await this.specFor(actor);
    if (!spec) return null;
    const resolved = await this.ensureIdentity(spec);
    if (actor.kind === 'commit-author' && spec.evidence === 'api') {
      await this.attachLinkedEmail(resolved.memberId, actor.email, actor.name);
    }
    return resolved;
  }

  /**
   * Records an e-mail address that GitHub linked to an account (the API's commit author) as
   * an identity of that member, with `api` evidence. An address already known elsewhere is
   * left where it is: joining two members is a merge, decided with its evidence, not here.
   */
  private async attachLinkedEmail(memberId: string, email: string | null, name: string | null) {
    const key = email?.trim().toLowerCase();
    if (!key || parseNoreplyEmail(key)) return;
    await this.dataSource.query(
      `INSERT INTO identity (member_id, platform, key, display_name, evidence)
       VALUES ($1, 'email', $2, $3, 'api') ON CONFLICT (platform, key) DO NOTHING`,
      [memberId, key, name?.trim() || null],
    );
  }

  private async specFor(actor: ActorRef): Promise<IdentitySpec | null> {
    if (actor.kind === 'github') {
      return isDeletedAccount(actor.account) ? deletedSpec() : githubSpec(actor.account!, 'self');
    }
    if (actor.account && !isDeletedAccount(actor.account)) return githubSpec(actor.account, 'api');
    const noreply = parseNoreplyEmail(actor.email);
    if (noreply?.id) {
      return githubSpec({ id: noreply.id, login: noreply.login }, 'noreply', actor.name);
    }
    if (noreply) {
      const rows: Array<{ id: string; login: string; type: string }> = await this.dataSource.query(
        `SELECT id, login, type FROM github_account WHERE lower(login) = lower($1) ORDER BY updated_at DESC LIMIT 1`,
        [noreply.login],
      );
      if (rows.length) {
        return githubSpec({ id: Number(rows[0].id), login: rows[0].login, type: rows[0].type }, 'login');
      }
    }
    const email = actor.email?.trim().toLowerCase();
    if (!email) return null;
    return { platform: 'email', key: email, displayName: actor.name?.trim() || null, evidence: 'self', account: null };
  }

  private async ensureIdentity(spec: IdentitySpec): Promise<ResolvedIdentity> {
    const found = await this.findIdentity(this.dataSource.manager, spec);
    if (found && !spec.account) return found;
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`${spec.platform}:${spec.key}`]);
      if (spec.account) await this.upsertAccount(manager, spec.account, spec.evidence);
      const existing = found ?? (await this.findIdentity(manager, spec));
      if (existing) {
        if (spec.account) await this.linkAccount(manager, spec.account.id, existing.memberId);
        return existing;
      }
      const kind: MemberKind =
        spec.platform === 'deleted' ? 'deleted' : spec.account && isBotAccount(spec.account) ? 'bot' : 'person';
      const memberId = await this.createMember(manager, kind, spec);
      const [identity]: Array<{ id: string }> = await manager.query(
        `INSERT INTO identity (member_id, platform, key, github_account_id, display_name, evidence)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [memberId, spec.platform, spec.key, spec.account?.id ?? null, spec.displayName, spec.evidence],
      );
      if (spec.account) await this.linkAccount(manager, spec.account.id, memberId);
      return { identityId: identity.id, memberId };
    });
  }

  private async findIdentity(manager: EntityManager, spec: IdentitySpec): Promise<ResolvedIdentity | null> {
    const rows: Array<{ id: string; member_id: string }> = await manager.query(
      `SELECT id, member_id FROM identity WHERE platform = $1 AND key = $2`,
      [spec.platform, spec.key],
    );
    return rows.length ? { identityId: rows[0].id, memberId: rows[0].member_id } : null;
  }

  private async createMember(manager: EntityManager, kind: MemberKind, spec: IdentitySpec): Promise<string> {
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
   * (`self`, `api`) replaces the stored one (a rename); a login parsed from a noreply address
   * or a lookup never overwrites, since it can be stale.
   */
  private async upsertAccount(manager: EntityManager, account: GithubActor, evidence: IdentityEvidence) {
    const authoritative = evidence === 'self' || evidence === 'api';
    const type = account.type ?? (isBotAccount(account) ? 'Bot' : 'User');
    await manager.query(
      `INSERT INTO github_account (id, login, type, name, avatar_url) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET
         login = CASE WHEN $6 THEN EXCLUDED.login ELSE github_account.login END,
         type = CASE WHEN $6 THEN EXCLUDED.type ELSE github_account.type END,
         name = COALESCE(EXCLUDED.name, github_account.name),
         avatar_url = COALESCE(EXCLUDED.avatar_url, github_account.avatar_url),
         updated_at = now()
       WHERE ($6 AND (github_account.login <> EXCLUDED.login OR github_account.type <> EXCLUDED.type))
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
    // the member shows the account's current login (renames keep the member)
    await manager.query(
      `UPDATE member m SET login = a.login, updated_at = now()
       FROM github_account a WHERE a.id = $1 AND m.id = a.member_id AND m.login IS DISTINCT FROM a.login`,
      [accountId],
    );
  }
}

function githubSpec(account: GithubActor, evidence: IdentityEvidence, gitName?: string | null): IdentitySpec {
  const displayName = account.name ?? (gitName?.trim() || null) ?? account.login;
  return { platform: 'github', key: String(account.id), displayName, evidence, account };
}

function deletedSpec(): IdentitySpec {
  return { platform: 'deleted', key: 'ghost', displayName: 'Deleted user', evidence: 'self', account: null };
}
