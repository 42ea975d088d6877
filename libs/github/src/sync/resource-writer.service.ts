import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivityService, type ActivityInput } from '#libs/members';
import { mapIssue, mapLabel } from './map-issue.js';
import { lastPerKey } from './distinct-items.js';
import type { RestIssue, RestLabel } from './rest-shapes.js';

/**
 * Idempotent bulk writes of the per-repository resources beyond commits and pull requests
 * (one statement per page, `unnest` arrays: a page of 100 stays far below Postgres's 65,535
 * parameters). A second write of the same page adds no row and changes none.
 */
@Injectable()
export class ResourceWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activities: ActivityService,
  ) {}

  /** Records activities (their actors resolved); returns how many were new. */
  async recordActivities(inputs: ActivityInput[]): Promise<number> {
    return (await this.activities.record(inputs)).inserted;
  }

  /**
   * Writes a page of "List repository issues": items with a `pull_request` key are skipped (the
   * pull request sync owns them; case S3); issues get their activities first (they create the
   * GitHub accounts), then their rows by id, updated only when a field differs.
   * @returns activities inserted.
   */
  async writeIssues(repositoryId: number, items: RestIssue[]): Promise<number> {
    const mapped = items.flatMap((item) => {
      const mapping = mapIssue(item, repositoryId);
      return mapping ? [mapping] : [];
    });
    if (mapped.length === 0) return 0;
    const inserted = await this.recordActivities(mapped.flatMap(({ activities }) => activities));
    const rows = lastPerKey(mapped.map(({ row }) => row), (row) => row.id);
    const iso = (date: Date | null) => date?.toISOString() ?? null;
    await this.dataSource.query(
      `INSERT INTO issue (id, repository_id, number, title, state, author_account_id, labels, created_at, updated_at, closed_at)
       SELECT u.id, u.repository_id, u.number, u.title, u.state, author.id, ARRAY(SELECT jsonb_array_elements_text(u.labels)),
         u.created_at, u.updated_at, u.closed_at
       FROM unnest($1::bigint[], $2::bigint[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::jsonb[],
         $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
         AS u(id, repository_id, number, title, state, author_account_id, labels, created_at, updated_at, closed_at)
       LEFT JOIN github_account author ON author.id = u.author_account_id
       ON CONFLICT (id) DO UPDATE SET
         title = EXCLUDED.title, state = EXCLUDED.state, labels = EXCLUDED.labels,
         author_account_id = COALESCE(EXCLUDED.author_account_id, issue.author_account_id),
         updated_at = EXCLUDED.updated_at, closed_at = EXCLUDED.closed_at
       WHERE (issue.title, issue.state, issue.labels, issue.updated_at, issue.closed_at)
             IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.state, EXCLUDED.labels, EXCLUDED.updated_at, EXCLUDED.closed_at)
          OR (issue.author_account_id IS NULL AND EXCLUDED.author_account_id IS NOT NULL)`,
      [
        rows.map((row) => row.id),
        rows.map((row) => row.repositoryId),
        rows.map((row) => row.number),
        rows.map((row) => row.title),
        rows.map((row) => row.state),
        rows.map((row) => row.authorAccountId),
        rows.map((row) => JSON.stringify(row.labels)),
        rows.map((row) => iso(row.createdAt)),
        rows.map((row) => iso(row.updatedAt)),
        rows.map((row) => iso(row.closedAt)),
      ],
    );
    return inserted;
  }

  /** Upserts a page of "List labels for a repository" by (repository, name); unchanged rows stay untouched. */
  async writeLabels(repositoryId: number, labels: RestLabel[]): Promise<number> {
    if (labels.length === 0) return 0;
    const rows = lastPerKey(labels.map((label) => mapLabel(label, repositoryId)), (row) => row.name);
    await this.dataSource.query(
      `INSERT INTO repository_label (repository_id, name, github_id, color, description, is_default)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::boolean[])
       ON CONFLICT (repository_id, name) DO UPDATE SET
         github_id = EXCLUDED.github_id, color = EXCLUDED.color, description = EXCLUDED.description, is_default = EXCLUDED.is_default
       WHERE (repository_label.github_id, repository_label.color, repository_label.description, repository_label.is_default)
             IS DISTINCT FROM (EXCLUDED.github_id, EXCLUDED.color, EXCLUDED.description, EXCLUDED.is_default)`,
      [
        rows.map((row) => row.repositoryId),
        rows.map((row) => row.name),
        rows.map((row) => row.githubId),
        rows.map((row) => row.color),
        rows.map((row) => row.description),
        rows.map((row) => row.isDefault),
      ],
    );
    return 0;
  }

  /**
   * Reconciles the star set of a repository after a complete re-list: stars stored active but not
   * listed are marked removed at `seenAt` (the re-list noticed the unstar; GitHub does not say
   * when it happened), and listed stars that were marked removed are re-activated.
   * @param listedKeys source keys of every star the re-list saw.
   * @returns stars marked removed.
   */
  async reconcileStars(repositoryId: number, listedKeys: string[], seenAt: Date): Promise<number> {
    const stale: Array<{ source_key: string }> = await this.dataSource.query(
      `SELECT source_key FROM activity
       WHERE type = 'star' AND repository_id = $1 AND removed_at IS NULL AND NOT (source_key = ANY($2::text[]))`,
      [repositoryId, listedKeys],
    );
    let removed = 0;
    for (const { source_key } of stale) if (await this.activities.markRemoved(source_key, seenAt)) removed += 1;
    const restored: Array<{ source_key: string }> = await this.dataSource.query(
      `SELECT source_key FROM activity WHERE type = 'star' AND repository_id = $1 AND removed_at IS NOT NULL AND source_key = ANY($2::text[])`,
      [repositoryId, listedKeys],
    );
    for (const { source_key } of restored) await this.activities.unmarkRemoved(source_key);
    return removed;
  }

  /** Active (not removed) star activities of a repository. */
  async activeStars(repositoryId: number): Promise<number> {
    const [{ count }]: Array<{ count: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS count FROM activity WHERE type = 'star' AND repository_id = $1 AND removed_at IS NULL`,
      [repositoryId],
    );
    return count;
  }

  /**
   * Pull requests of a repository updated after a point, oldest update first (the order the review
   * sync walks them, so its cursor is the last one done): `after` is exclusive on
   * (updated_at, id); without it, every pull request.
   */
  async pullRequestsUpdatedAfter(
    repositoryId: number,
    after: { updatedAt: string; id: number } | null,
  ): Promise<Array<{ id: number; number: number; updatedAt: string }>> {
    const rows: Array<{ id: string; number: number; updated_at: Date }> = await this.dataSource.query(
      `SELECT id, number, updated_at FROM pull_request
       WHERE repository_id = $1 AND ($2::timestamptz IS NULL OR (updated_at, id) > ($2::timestamptz, $3::bigint))
       ORDER BY updated_at, id`,
      [repositoryId, after?.updatedAt ?? null, after?.id ?? 0],
    );
    return rows.map((row) => ({ id: Number(row.id), number: row.number, updatedAt: row.updated_at.toISOString() }));
  }
}
