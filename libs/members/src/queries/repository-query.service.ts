import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { QueryException, QueryExceptionCode } from './query.exception.js';
import type { RepositoryView } from './read-model.types.js';
import { parseRepositoryRef } from './refs.js';
import { REPOSITORY_COLUMNS, toRepositoryView, type RepositoryRow } from './rows.js';

/** Reads repositories: listing, lookups by id, and resolving `id` / `owner/name` references. */
@Injectable()
export class RepositoryQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Repositories ordered by full name (case-insensitive): all of them, or those an
   * ecosystem's tracked sources discovered (paused sources included; one repository may
   * belong to several ecosystems). With `page`, only `first` of them after skipping `offset`
   * (0 when absent) in that order; `first` absent: all from `offset` on. The page size itself
   * is capped by the GraphQL page-size rule (1–100).
   * @throws QueryException NOT_FOUND when `ecosystemSlug` names no ecosystem; BAD_USER_INPUT for
   * an `offset` that is not a whole number of 0 or more.
   */
  async list(filter: { ecosystemSlug?: string | null } = {}, page: { first?: number | null; offset?: number | null } = {}): Promise<RepositoryView[]> {
    const offset = page.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) {
      throw new QueryException(`Invalid offset ${offset}: give a whole number of 0 or more`, QueryExceptionCode.BAD_USER_INPUT);
    }
    // LIMIT NULL is no limit
    const slice = `LIMIT $1 OFFSET $2`;
    const bounds = [page.first ?? null, offset];
    if (filter.ecosystemSlug == null) {
      const rows: RepositoryRow[] = await this.dataSource.query(
        `SELECT ${REPOSITORY_COLUMNS} FROM repository r ORDER BY lower(r.full_name), r.id ${slice}`,
        bounds,
      );
      return rows.map(toRepositoryView);
    }
    const ecosystems: Array<{ id: number }> = await this.dataSource.query(`SELECT id FROM ecosystem WHERE slug = $1`, [
      filter.ecosystemSlug,
    ]);
    if (!ecosystems.length) {
      throw new QueryException(`No ecosystem with slug "${filter.ecosystemSlug}"`, QueryExceptionCode.NOT_FOUND);
    }
    const rows: RepositoryRow[] = await this.dataSource.query(
      `SELECT ${REPOSITORY_COLUMNS} FROM repository r
        WHERE r.id IN (SELECT l.repository_id FROM tracked_source_repository l
                         JOIN tracked_source s ON s.id = l.tracked_source_id WHERE s.ecosystem_id = $3)
        ORDER BY lower(r.full_name), r.id ${slice}`,
      [...bounds, ecosystems[0].id],
    );
    return rows.map(toRepositoryView);
  }

  /** Repositories by GitHub id, for DataLoaders: one entry per id, in order (null when unknown). */
  async byIds(ids: readonly number[]): Promise<Array<RepositoryView | null>> {
    const rows: RepositoryRow[] = await this.dataSource.query(
      `SELECT ${REPOSITORY_COLUMNS} FROM repository r WHERE r.id = ANY($1::bigint[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [Number(row.id), toRepositoryView(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * GitHub's numeric id of the repository a reference names: the id itself (when known) or
   * the repository whose current `owner/name` matches case-insensitively.
   * @throws QueryException BAD_USER_INPUT for a value that is neither; NOT_FOUND for an unknown repository.
   */
  async resolveRef(value: string): Promise<number> {
    const ref = parseRepositoryRef(value);
    if (!ref) {
      throw new QueryException(
        `Invalid repository "${value}": give GitHub's numeric repository id or "owner/name"`,
        QueryExceptionCode.BAD_USER_INPUT,
      );
    }
    const rows: Array<{ id: string }> =
      ref.kind === 'id'
        ? await this.dataSource.query(`SELECT id::text AS id FROM repository WHERE id = $1`, [ref.id])
        : await this.dataSource.query(
            `SELECT id::text AS id FROM repository WHERE lower(full_name) = lower($1) ORDER BY updated_at DESC LIMIT 1`,
            [ref.fullName],
          );
    if (!rows.length) throw new QueryException(`No tracked repository "${value}"`, QueryExceptionCode.NOT_FOUND);
    return Number(rows[0].id);
  }
}
