import type { EntityManager } from 'typeorm';
import type { NoreplyMismatch } from './identity-spec.js';

/** An address GitHub's API linked to an account, seen on a commit author. */
export interface LinkedEmail {
  /** Member of the account (a new e-mail identity joins it). */
  memberId: string;
  email: string;
  name: string | null;
  accountId: number;
  login: string;
}

/**
 * Records addresses the API linked to accounts: a new address becomes an e-mail identity of the
 * account's member (`evidence: api`), and every one gets an `api_link` evidence row naming the
 * account. An address already known as another member's identity stays where it is: joining the
 * two is a merge, decided by the merge sweep on this evidence (conclusive), not here.
 */
export async function recordLinkedEmails(db: Pick<EntityManager, 'query'>, linked: LinkedEmail[]): Promise<void> {
  if (linked.length === 0) return;
  await db.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[]) AS t(member_id, key, display_name, account_id, detail)
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
