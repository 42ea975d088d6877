import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { ActivityService } from '#libs/members';
import { mapCommit } from './map-commit.js';
import type { RestCommit } from './rest-shapes.js';

/** Idempotent bulk writes of a page of default-branch commits (one statement per table, `unnest` arrays). */
@Injectable()
export class CommitWriter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly activities: ActivityService,
  ) {}

  /** Writes commits: rows once per sha, the repository link, then author and co-author activities. */
  async writeCommits(repositoryId: number, commits: RestCommit[]): Promise<number> {
    if (commits.length === 0) return 0;
    const mapped = commits.map((commit) => mapCommit(commit, repositoryId));
    const rows = mapped.map(({ row }) => row);
    await this.dataSource.query(
      `INSERT INTO git_commit (sha, repository_id, author_name, authored_at, committed_at, message_headline, co_authors, is_merge)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::jsonb[], $8::boolean[])
       ON CONFLICT (sha) DO NOTHING`,
      [
        rows.map((row) => row.sha),
        rows.map((row) => row.repositoryId),
        rows.map((row) => row.authorName),
        rows.map((row) => row.authoredAt.toISOString()),
        rows.map((row) => row.committedAt?.toISOString() ?? null),
        rows.map((row) => row.messageHeadline),
        rows.map((row) => JSON.stringify(row.coAuthors)),
        rows.map((row) => row.isMerge),
      ],
    );
    const shas = rows.map((row) => row.sha);
    await this.dataSource.query(
      `INSERT INTO git_commit_repository (sha, repository_id) SELECT unnest($1::text[]), $2 ON CONFLICT DO NOTHING`,
      [shas, repositoryId],
    );
    const { inserted } = await this.activities.record(mapped.flatMap(({ activities }) => activities));
    // the author identity is known once the commit activity is recorded (whichever source did it)
    await this.dataSource.query(
      `UPDATE git_commit g SET author_identity_id = a.identity_id
       FROM activity a WHERE a.source_key = 'commit:' || g.sha AND g.sha = ANY($1::text[]) AND g.author_identity_id IS NULL`,
      [shas],
    );
    return inserted;
  }

}
