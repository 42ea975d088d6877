import type { EntityManager } from 'typeorm';
import { suppressedKeySql } from './erasure/erasure-suppression.sql.js';
import { identityKey, type NoreplyMismatch } from './identity-spec.js';

/** An address GitHub's API linked to an account, seen on a commit author. */
export interface LinkedEmail {
  /** Member of the account (a new e-mail identity joins it). */
  memberId: string;
  email: string;
  name: string | null;
  accountId: number;
  login: string;
}

/** Something that runs a callback in a transaction (a DataSource or an EntityManager). */
export interface Transactional {
  transaction<T>(run: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/** Advisory locks one transaction takes at most (each takes a slot of the shared lock table). */
export const LOCKS_PER_TRANSACTION = 1000;

/**
 * Records addresses the API linked to accounts: a new address becomes an e-mail identity of the
 * account's member (`evidence: api`), and every one gets an `api_link` evidence row naming the
 * account. An address of an erased member (`erasure_suppression`) is left out: it is neither stored
 * again nor evidence. An address already known as another member's identity stays where it is: joining the
 * two is a merge, decided by the merge sweep on this evidence (conclusive), not here.
 * Runs under the advisory locks of the addresses' identity keys (as the resolvers create
 * identities), so that an address a resolver is creating meanwhile is found, not inserted twice
 * (which failed that resolver's batch) or left without its evidence.
 */
export async function recordLinkedEmails(db: Transactional, linked: LinkedEmail[]): Promise<void> {
  for (let start = 0; start < linked.length; start += LOCKS_PER_TRANSACTION) {
    const chunk = linked.slice(start, start + LOCKS_PER_TRANSACTION);
    await db.transaction(async (manager) => {
      const keys = [...new Set(chunk.map((row) => identityKey({ platform: 'email', key: row.email })))].sort();
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k`, [keys]);
      await insertLinkedEmails(manager, chunk);
    });
  }
}

async function insertLinkedEmails(db: Pick<EntityManager, 'query'>, linked: LinkedEmail[]): Promise<void> {
  await db.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t(member_id, key, display_name, account_id, detail)
        WHERE NOT ${suppressedKeySql("'email:' || t.key")}
     ), inserted AS (
       INSERT INTO identity (member_id, platform, key, display_name, evidence)
       SELECT member_id, 'email', key, display_name, 'api' FROM input
       ON CONFLICT (platform, key) DO NOTHING
       RETURNING id, key
     )
     INSERT INTO identity_evidence (identity_id, kind, subject, detail)
     SELECT coalesce(n.id, i.id), 'api_link', t.account_id, t.detail
       FROM input t
       LEFT JOIN inserted n ON n.key = t.key
       LEFT JOIN identity i ON i.platform = 'email' AND i.key = t.key
      WHERE coalesce(n.id, i.id) IS NOT NULL
     ON CONFLICT (identity_id, kind, subject) DO NOTHING`,
    [
      linked.map((row) => row.memberId),
      linked.map((row) => row.email),
      linked.map((row) => row.name),
      linked.map((row) => String(row.accountId)),
      linked.map((row) => JSON.stringify({ login: row.login, gitName: row.name })),
    ],
  );
}

/**
 * Flags noreply addresses whose id disagrees with the API's author (a `noreply_id_mismatch`
 * evidence row on the identity the commit resolved to, the API's account). A flag, never a merge.
 */
export async function recordNoreplyMismatches(
  db: Pick<EntityManager, 'query'>,
  flags: Array<{ identityId: string; mismatch: NoreplyMismatch }>,
): Promise<void> {
  if (flags.length === 0) return;
  await db.query(
    `INSERT INTO identity_evidence (identity_id, kind, subject, detail)
     SELECT identity_id, 'noreply_id_mismatch', subject, detail FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS t(identity_id, subject, detail)
     ON CONFLICT (identity_id, kind, subject) DO NOTHING`,
    [flags.map((flag) => flag.identityId), flags.map((flag) => flag.mismatch.address), flags.map((flag) => JSON.stringify(flag.mismatch))],
  );
}
