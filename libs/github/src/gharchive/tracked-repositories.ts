import type { DataSource } from 'typeorm';
import type { EventRepository } from './gharchive-event.js';

/**
 * The repositories GH Archive events are kept for: every repository an ecosystem syncs (found
 * through a tracked source that is not paused; forks found by listing an organisation or user
 * are left out, as in `SYNCED_REPOSITORY_IDS_SQL`), in any ecosystem.
 */
export class TrackedRepositoryIndex {
  private readonly candidate: RegExp | null;

  private constructor(
    private readonly ids: Set<number>,
    private readonly byName: Map<string, number>,
  ) {
    // every line of a tracked repository's event holds its id's digits (Events API `repo.id`,
    // timeline `repository.id`) or, without an id, its name (`repo.name` is `owner/name`; timeline
    // `repository.name`); names are matched without owner, case-insensitively
    const names = [...byName.keys()].map((fullName) => fullName.split('/')[1] ?? fullName);
    const alternatives = [...[...ids].map((id) => `(?<!\\d)${id}(?!\\d)`), ...names.map(escapeRegExp)];
    this.candidate = alternatives.length ? new RegExp(alternatives.join('|'), 'i') : null;
  }

  /** Loads the tracked repositories (a few hundred rows: kept in memory for the import). */
  static async load(dataSource: DataSource): Promise<TrackedRepositoryIndex> {
    const rows: Array<{ id: string; full_name: string }> = await dataSource.query(
      `SELECT DISTINCT r.id, r.full_name
       FROM tracked_source_repository l
       JOIN tracked_source s ON s.id = l.tracked_source_id
       JOIN repository r ON r.id = l.repository_id
       WHERE NOT s.paused AND (s.kind = 'repository' OR NOT r.is_fork)`,
    );
    return TrackedRepositoryIndex.of(rows.map((row) => ({ id: Number(row.id), fullName: row.full_name })));
  }

  /** An index over the given repositories. */
  static of(repositories: Array<{ id: number; fullName: string }>): TrackedRepositoryIndex {
    return new TrackedRepositoryIndex(
      new Set(repositories.map((repository) => repository.id)),
      new Map(repositories.map((repository) => [repository.fullName.toLowerCase(), repository.id])),
    );
  }

  /** How many repositories are tracked. */
  get size(): number {
    return this.ids.size;
  }

  /**
   * The tracked repository an event is about, or null. An event with a numeric id matches by id
   * only (a repository deleted and re-created under the same name is another repository); one
   * without matches `owner/name` case-insensitively (the name at the event's time).
   */
  match(repository: EventRepository): number | null {
    if (repository.id !== null) return this.ids.has(repository.id) ? repository.id : null;
    return repository.fullName ? (this.byName.get(repository.fullName.toLowerCase()) ?? null) : null;
  }

  /**
   * A cheap test on a raw line, before JSON.parse: false only when the line cannot be an event of
   * a tracked repository (it holds none of their ids or names). GH Archive hours hold hundreds of
   * thousands of events of which an ecosystem's are a handful, so most lines are never parsed.
   */
  mightMatch(line: string): boolean {
    return this.candidate !== null && this.candidate.test(line);
  }

  /** The id of a tracked repository named `owner/name` (case-insensitive), or null. */
  idByName(fullName: string | null): number | null {
    return fullName ? (this.byName.get(fullName.toLowerCase()) ?? null) : null;
  }
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
