import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { IdentityEvidence } from '../identity.entity.js';
import type { IdentityProof } from './merge.types.js';

interface ProofRow {
  identity_id: string;
  kind: IdentityProof['kind'];
  platform: string;
  key: string;
  login: string | null;
  subject: string | null;
  detail: Record<string, unknown> | null;
  observed_at: Date;
}

/**
 * Answers "why are these identities one person?": for each identity, the evidence that ties it to
 * its member, oldest first: how the identity was first resolved (`identity.evidence`), what was
 * observed about it since (`identity_evidence`: API links, verified addresses, and flags such as a
 * noreply address whose id disagrees with the API), and the merges that moved it, if any (every
 * standing step of a chain: A into B, then B into C).
 */
@Injectable()
export class IdentityExplanationService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The proofs of each identity, in the order of `identityIds` (an unknown id gets none). */
  async proofsByIdentityIds(identityIds: readonly string[]): Promise<IdentityProof[][]> {
    const rows: ProofRow[] = await this.dataSource.query(
      `SELECT i.id AS identity_id, i.evidence AS kind, i.platform, i.key, a.login, NULL AS subject, NULL::jsonb AS detail,
              i.created_at AS observed_at
         FROM identity i LEFT JOIN github_account a ON a.id = i.github_account_id
        WHERE i.id = ANY($1::uuid[])
       UNION ALL
       SELECT e.identity_id, e.kind, i.platform, i.key, a.login, e.subject, e.detail, e.observed_at
         FROM identity_evidence e JOIN identity i ON i.id = e.identity_id
         LEFT JOIN github_account a ON a.id = CASE WHEN e.subject ~ '^[0-9]{1,18}$' THEN e.subject::bigint END
        WHERE e.identity_id = ANY($1::uuid[])
       UNION ALL
       SELECT i.id, 'merge', i.platform, i.key, NULL, m.merged_by,
              jsonb_build_object('fromMemberId', m.from_member_id, 'mergeId', m.id), m.merged_at
         FROM member_merge m JOIN identity i ON i.id = ANY(m.identity_ids)
        WHERE m.unmerged_at IS NULL AND i.id = ANY($1::uuid[]) AND m.identity_ids && $1::uuid[]
       ORDER BY observed_at, kind`,
      [identityIds],
    );
    const byId = new Map<string, IdentityProof[]>(identityIds.map((id) => [id, []]));
    for (const row of rows) byId.get(row.identity_id)?.push({ kind: row.kind, detail: describe(row), observedAt: row.observed_at });
    return identityIds.map((id) => byId.get(id) ?? []);
  }
}

const FIRST_SEEN: Record<IdentityEvidence, (row: ProofRow) => string> = {
  self: (row) =>
    row.platform === 'github'
      ? `GitHub account ${row.key}${row.login ? ` (${row.login})` : ''} named by the API or a webhook`
      : row.platform === 'deleted'
        ? 'The sentinel of every deleted GitHub account ("ghost", user: null)'
        : 'A commit address not linked to any GitHub account: a member of its own',
  api: (row) =>
    row.platform === 'github'
      ? `GitHub's API named account ${row.key}${row.login ? ` (${row.login})` : ''} as the author of commits`
      : "GitHub's API linked this commit address to the member's GitHub account",
  noreply: (row) => `A commit address of the form ${row.key}+login@users.noreply.github.com: the id names account ${row.key}`,
  login: (row) =>
    row.platform === 'github'
      ? `Inferred: a login-only noreply address named login ${row.login ?? '?'}, held by account ${row.key} when resolved`
      : `Inferred: a login-only noreply address naming login ${row.key.split('@')[0]}, joined to the member of the GitHub account holding that login`,
  bot_list: (row) => `On Cambrian's maintained list of bots (account ${row.key}${row.login ? `, ${row.login}` : ''})`,
};

/** A sentence for people about one proof (no e-mail address in it: those are shown only as keys). */
function describe(row: ProofRow): string {
  const detail = row.detail ?? {};
  switch (row.kind) {
    case 'api_link':
      return `GitHub's API linked this address to account ${row.subject}${row.login ? ` (${row.login})` : ''} as a commit author`;
    case 'verified_email':
      return `A verified address of account ${row.subject}${row.login ? ` (${row.login})` : ''}`;
    case 'noreply_id_mismatch':
      return (
        `Flag, not merged: a commit address names account ${String(detail.addressAccountId)} (${String(detail.addressLogin)}) ` +
        `but GitHub's API says the author is account ${String(detail.apiAccountId)} (${String(detail.apiLogin)})`
      );
    case 'merge':
      // the reason is an admin's words (Member.merges, admin tokens only), not repeated here
      return `Moved from member ${String(detail.fromMemberId)} by ${row.subject} (merge ${String(detail.mergeId)})`;
    default:
      return (FIRST_SEEN[row.kind as IdentityEvidence] ?? (() => `Evidence ${row.kind}`))(row);
  }
}
