import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { EcosystemView, TrackedSourceView } from './read-model.types.js';

interface EcosystemRow {
  id: number;
  slug: string;
  name: string;
  created_at: Date;
}

interface TrackedSourceRow {
  id: number;
  ecosystem_id: number;
  kind: TrackedSourceView['kind'];
  name: string;
  paused: boolean;
  created_at: Date;
}

const toEcosystemView = (row: EcosystemRow): EcosystemView => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  createdAt: row.created_at,
});

/** Reads ecosystems, their tracked sources and repository counts. */
@Injectable()
export class EcosystemQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ecosystem with this slug (slugs are lower-case; the lookup lower-cases), or null. */
  async bySlug(slug: string): Promise<EcosystemView | null> {
    const rows: EcosystemRow[] = await this.dataSource.query(
      `SELECT id, slug, name, created_at FROM ecosystem WHERE slug = lower($1)`,
      [slug.trim()],
    );
    return rows.length ? toEcosystemView(rows[0]) : null;
  }

  /** Every ecosystem, by slug. */
  async list(): Promise<EcosystemView[]> {
    const rows: EcosystemRow[] = await this.dataSource.query(
      `SELECT id, slug, name, created_at FROM ecosystem ORDER BY slug`,
    );
    return rows.map(toEcosystemView);
  }

  /** Tracked sources per ecosystem id (kind, then name), for DataLoaders. */
  async trackedSourcesByEcosystemIds(ids: readonly number[]): Promise<TrackedSourceView[][]> {
    const rows: TrackedSourceRow[] = await this.dataSource.query(
      `SELECT id, ecosystem_id, kind, name, paused, created_at FROM tracked_source
        WHERE ecosystem_id = ANY($1::int[]) ORDER BY kind, lower(name), id`,
      [ids],
    );
    const grouped = new Map<number, TrackedSourceView[]>(ids.map((id) => [id, []]));
    for (const row of rows) {
      grouped.get(row.ecosystem_id)?.push({
        id: row.id,
        ecosystemId: row.ecosystem_id,
        kind: row.kind,
        name: row.name,
        paused: row.paused,
        createdAt: row.created_at,
      });
    }
    return ids.map((id) => grouped.get(id) ?? []);
  }

  /**
   * Number of distinct repositories the tracked sources of each ecosystem discovered (paused
   * sources included), for DataLoaders.
   */
  async repositoryCountsByEcosystemIds(ids: readonly number[]): Promise<number[]> {
    const rows: Array<{ ecosystem_id: number; count: number }> = await this.dataSource.query(
      `SELECT s.ecosystem_id, count(DISTINCT l.repository_id)::int AS count
         FROM tracked_source s JOIN tracked_source_repository l ON l.tracked_source_id = s.id
        WHERE s.ecosystem_id = ANY($1::int[]) GROUP BY s.ecosystem_id`,
      [ids],
    );
    const counts = new Map(rows.map((row) => [row.ecosystem_id, row.count]));
    return ids.map((id) => counts.get(id) ?? 0);
  }
}
