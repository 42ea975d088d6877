import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivityService, IdentityService, isDeletedAccount } from '#libs/members';
import { pullRequestKey } from '../activity-keys.js';
import { mapPullRequest } from './map-pull-request.js';
import { lastPerKey } from './distinct-items.js';
import type { RestPullRequest } from './rest-shapes.js';

/** A merged pull request whose details ("Get a pull request") are not known at its current `updated_at`. */
export interface PendingPullRequestDetails {
  id: number;
  number: number;
  /** The row's `updated_at` (UTC ISO). */
  updatedAt: string;
  /** ETag of the last detail answer, or null. */
  etag: string | null;
}

/** Idempotent writes of pull requests: list pages, and the details only "Get a pull request" carries. */
@Injectable()
export class PullRequestWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activities: ActivityService,
    private readonly identities: IdentityService,
  ) {}

  /**
   * Writes pull requests: activities first (they create the GitHub accounts), then the rows by
   * id; a row changes only when a field differs, and never from a listing older (by `updated_at`)
   * than the stored row, which a webhook may have written while the page was on its way.
   * Accounts not stored yet are left null.
   */
  async writePullRequests(repositoryId: number, pulls: RestPullRequest[]): Promise<number> {
    if (pulls.length === 0) return 0;
    const mapped = pulls.map((pull) => mapPullRequest(pull, repositoryId));
    const { inserted } = await this.activities.record(mapped.flatMap(({ activities }) => activities));
    const rows = lastPerKey(mapped.map(({ row }) => row), (row) => row.id);
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    await this.dataSource.query(
      `INSERT INTO pull_request (id, repository_id, number, title, state, author_account_id, merged, merged_at,
         merged_by_account_id, head_sha, head_ref, base_ref, created_at, updated_at, closed_at, labels)
       SELECT u.id, u.repository_id, u.number, u.title, u.state, author.id, u.merged, u.merged_at,
         merger.id, u.head_sha, u.head_ref, u.base_ref, u.created_at, u.updated_at, u.closed_at,
         CASE WHEN u.labels IS NOT NULL THEN ARRAY(SELECT jsonb_array_elements_text(u.labels)) END
       FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::boolean[],
         $8::timestamptz[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[],
         $15::timestamptz[], $16::jsonb[])
         AS u(id, repository_id, number, title, state, author_account_id, merged, merged_at, merged_by_account_id,
              head_sha, head_ref, base_ref, created_at, updated_at, closed_at, labels)
       LEFT JOIN github_account author ON author.id = u.author_account_id
       LEFT JOIN github_account merger ON merger.id = u.merged_by_account_id
       ON CONFLICT (id) DO UPDATE SET
         title = EXCLUDED.title, state = EXCLUDED.state,
         author_account_id = COALESCE(EXCLUDED.author_account_id, pull_request.author_account_id),
         merged = EXCLUDED.merged, merged_at = EXCLUDED.merged_at,
         merged_by_account_id = COALESCE(EXCLUDED.merged_by_account_id, pull_request.merged_by_account_id),
         head_sha = EXCLUDED.head_sha, head_ref = EXCLUDED.head_ref, base_ref = EXCLUDED.base_ref,
         updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at, labels = COALESCE(EXCLUDED.labels, pull_request.labels)
       WHERE EXCLUDED.updated_at >= pull_request.updated_at AND ((pull_request.title, pull_request.state, pull_request.merged, pull_request.merged_at, pull_request.head_sha,
              pull_request.updated_at, pull_request.closed_at, pull_request.labels)
             IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.state, EXCLUDED.merged, EXCLUDED.merged_at, EXCLUDED.head_sha,
              EXCLUDED.updated_at, EXCLUDED.closed_at, COALESCE(EXCLUDED.labels, pull_request.labels))
          OR (pull_request.author_account_id IS NULL AND EXCLUDED.author_account_id IS NOT NULL)
          OR (pull_request.merged_by_account_id IS NULL AND EXCLUDED.merged_by_account_id IS NOT NULL))`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.repositoryId),
        rows.map((row) => row.number),
        rows.map((row) => row.title),
        rows.map((row) => row.state),
        rows.map((row) => row.authorAccountId),
        rows.map((row) => row.merged),
        rows.map((row) => iso(row.mergedAt)),
        rows.map((row) => row.mergedByAccountId),
        rows.map((row) => row.headSha),
        rows.map((row) => row.headRef),
        rows.map((row) => row.baseRef),
        rows.map((row) => iso(row.createdAt)),
        rows.map((row) => iso(row.updatedAt)),
        rows.map((row) => iso(row.closedAt)),
        rows.map((row) => (row.labels === null ? null : JSON.stringify(row.labels))),
      ],
    );
    return inserted;
  }

  /**
   * Merged pull requests of a repository whose details are unknown or older than their
   * `updated_at`, oldest update first. One whose merger a webhook already delivered
   * (`merged_by_account_id` set, details never read) is not pending: `merged_by` is all the
   * details add, and it never changes after the merge.
   */
  async pendingDetails(repositoryId: number): Promise<PendingPullRequestDetails[]> {
    const rows: Array<{ id: string; number: number; updated_at: Date; details_etag: string | null }> = await this.dataSource.query(
      `SELECT id, number, updated_at, details_etag FROM pull_request
       WHERE repository_id = $1 AND merged AND (details_updated_at IS NULL OR details_updated_at < updated_at)
         AND NOT (details_updated_at IS NULL AND merged_by_account_id IS NOT NULL)
       ORDER BY updated_at, id`,
      [repositoryId],
    );
    return rows.map((row) => ({ id: Number(row.id), number: row.number, updatedAt: row.updated_at.toISOString(), etag: row.details_etag }));
  }

  /**
   * Stores a detail answer of pull request `pending`: the merger (`merged_by`) resolved as a
   * GitHub identity (IdentityService) and kept as `merged_by_account_id` (null for a deleted
   * account), the answer's ETag, and the `updated_at` it describes; the `pull_request_merged`
   * activity, whichever source recorded it, gets `facts.merged_by` as webhooks write it
   * (`{id, login}`, or null). The activity stays credited to the author (see `mapPullRequest`).
   */
  async writeDetails(repositoryId: number, pending: PendingPullRequestDetails, detail: RestPullRequest, etag: string | null): Promise<void> {
    const merger = detail.merged_by ?? null;
    const account = merger && !isDeletedAccount({ id: merger.id, login: merger.login, type: merger.type ?? null }) ? merger : null;
    if (account) {
      await this.identities.resolveMany([
        { kind: 'github', account: { id: account.id, login: account.login, type: account.type ?? null, avatar_url: account.avatar_url ?? null } },
      ]);
    }
    await this.dataSource.query(
      `UPDATE pull_request SET merged_by_account_id = COALESCE($2, merged_by_account_id), details_etag = $3,
         details_updated_at = GREATEST(updated_at, $4::timestamptz)
       WHERE id = $1`,
      [pending.id, account?.id ?? null, etag, detail.updated_at ?? pending.updatedAt],
    );
    if (detail.merged_at) {
      const fact = account ? { id: account.id, login: account.login } : null;
      await this.dataSource.query(
        `UPDATE activity SET facts = facts || jsonb_build_object('merged_by', $2::jsonb)
         WHERE source_key = $1 AND (NOT facts ? 'merged_by' OR facts->'merged_by' IS DISTINCT FROM $2::jsonb)`,
        [pullRequestKey(repositoryId, pending.number, 'merged'), JSON.stringify(fact)],
      );
    }
    if (account) {
      // the merger is known only now: the merge counts in their stages (the listing's request ran without them)
      const merged: Array<{ id: string }> = await this.dataSource.query(`SELECT id::text AS id FROM activity WHERE source_key = $1`, [
        pullRequestKey(repositoryId, pending.number, 'merged'),
      ]);
      await this.activities.requestStageEvaluation(merged.map((row) => row.id));
    }
  }

  /** Records that the details of `pending` are current (a 304, or a pull request GitHub no longer has). */
  async detailsCurrent(pending: PendingPullRequestDetails): Promise<void> {
    await this.dataSource.query(`UPDATE pull_request SET details_updated_at = updated_at WHERE id = $1`, [pending.id]);
  }
}
